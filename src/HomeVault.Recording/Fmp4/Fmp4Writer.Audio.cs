namespace HomeVault.Recording.Fmp4;

/// <summary>One audio sample of a fragment: its size in the mdat and its duration (the audio track's timescale).</summary>
internal readonly record struct AudioSample(int Size, uint Duration);

/// <summary>A fragment's audio: its first sample's time on the audio track, the samples, and their bytes one after another.</summary>
internal readonly record struct AudioRun(ulong BaseMediaDecodeTime, IReadOnlyList<AudioSample> Samples, ReadOnlyMemory<byte> Data);

/// <summary>
/// An AAC track as it is carried, not decoded: the AudioSpecificConfig (ISO 14496-3 1.6.2.1) the stream announced,
/// and the timescale of its timestamps. Channels and sample rate for the <c>mp4a</c> entry are read from the config.
/// </summary>
internal sealed record AacTrack(byte[] AudioSpecificConfig, uint Timescale)
{
    private static readonly int[] Rates = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

    /// <summary>samplingFrequencyIndex and channelConfiguration from the config's first bits (an explicit 24-bit rate after index 15).</summary>
    public (int SampleRate, int Channels) Format()
    {
        var c = AudioSpecificConfig;
        var index = ((c[0] & 0x07) << 1) | (c[1] >> 7);
        if (index == 15)
        {
            return c.Length < 5 ? (0, 0) : (((c[1] & 0x7F) << 17) | (c[2] << 9) | (c[3] << 1) | (c[4] >> 7), (c[4] >> 3) & 0x0F);
        }
        return (index < Rates.Length ? Rates[index] : 0, (c[1] >> 3) & 0x0F);
    }
}

/// <summary>The AAC sample entry: <c>mp4a</c> (ISO 14496-12 12.2.3) with its <c>esds</c> (ISO 14496-14 5.6, 14496-1 7.2.6.5).</summary>
internal sealed partial class Fmp4Writer
{
    private void AudioSampleEntry(AacTrack audio)
    {
        var (rate, channels) = audio.Format();
        Open("mp4a");
        Zeros(6);
        U16(1); // data_reference_index
        Zeros(8);
        U16((ushort)(channels is > 0 and < 8 ? channels : 2));
        U16(16); // samplesize
        Zeros(4);
        U32((rate is > 0 and <= 0xFFFF ? (uint)rate : Math.Min(audio.Timescale, 0xFFFF)) << 16);
        FullBox("esds", 0, 0);
        var config = audio.AudioSpecificConfig;
        Descriptor(0x03, 3 + (2 + 13 + 2 + config.Length) + 3); // ES_Descriptor
        U16(0); // ES_ID
        Bytes([0]); // no dependency, URL or OCR stream
        Descriptor(0x04, 13 + 2 + config.Length); // DecoderConfigDescriptor
        Bytes([0x40, 0x15]); // MPEG-4 Audio; AudioStream, upStream 0, reserved 1
        Zeros(3); // bufferSizeDB
        U32(0); // maxBitrate
        U32(0); // avgBitrate
        Descriptor(0x05, config.Length); // DecoderSpecificInfo
        Bytes(config);
        Descriptor(0x06, 1); // SLConfigDescriptor
        Bytes([0x02]); // predefined: MP4
        Close();
        Close();
    }

    /// <summary>A descriptor's tag and its size (one byte: every descriptor here is shorter than 128 bytes).</summary>
    private void Descriptor(byte tag, int size) =>
        Bytes(size < 0x80 ? [tag, (byte)size] : throw new ArgumentOutOfRangeException(nameof(size), "AudioSpecificConfig too long"));
}
