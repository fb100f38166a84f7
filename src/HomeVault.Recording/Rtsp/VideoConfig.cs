namespace HomeVault.Recording.Rtsp;

/// <summary>
/// What an MP4 video sample entry needs from a stream's parameter sets: the entry's four-character code (avc1/hvc1),
/// the picture size, and the decoder configuration record (avcC, ISO 14496-15 5.3.3; hvcC, 8.3.3).
/// </summary>
internal sealed record VideoConfig(string SampleEntry, string ConfigBox, int Width, int Height, byte[] Record)
{
    public static VideoConfig H264(byte[] sps, byte[] pps)
    {
        var r = new BitReader(BitReader.ToRbsp(sps.AsSpan(1)));
        var profile = r.Bits(8);
        r.Skip(16); // constraint flags, level
        r.Ue(); // seq_parameter_set_id
        uint chroma = 1, depthLuma = 0, depthChroma = 0;
        var separatePlanes = false;
        if (profile is 100 or 110 or 122 or 244 or 44 or 83 or 86 or 118 or 128 or 138 or 139 or 134 or 135)
        {
            chroma = r.Ue();
            if (chroma == 3)
            {
                separatePlanes = r.Flag();
            }
            depthLuma = r.Ue();
            depthChroma = r.Ue();
            r.Skip(1); // qpprime_y_zero_transform_bypass_flag
            if (r.Flag())
            {
                for (var i = 0; i < (chroma != 3 ? 8 : 12); i++)
                {
                    if (r.Flag())
                    {
                        SkipScalingList(ref r, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        r.Ue(); // log2_max_frame_num_minus4
        var pocType = r.Ue();
        if (pocType == 0)
        {
            r.Ue();
        }
        else if (pocType == 1)
        {
            r.Skip(1);
            r.Se();
            r.Se();
            var cycle = r.Ue();
            for (var i = 0; i < cycle; i++)
            {
                r.Se();
            }
        }
        r.Ue(); // max_num_ref_frames
        r.Skip(1); // gaps_in_frame_num_value_allowed_flag
        var widthMbs = r.Ue() + 1;
        var heightMaps = r.Ue() + 1;
        var frameMbsOnly = r.Flag() ? 1u : 0u;
        if (frameMbsOnly == 0)
        {
            r.Skip(1);
        }
        r.Skip(1); // direct_8x8_inference_flag
        uint left = 0, right = 0, top = 0, bottom = 0;
        if (r.Flag())
        {
            (left, right, top, bottom) = (r.Ue(), r.Ue(), r.Ue(), r.Ue());
        }
        var arrayType = separatePlanes ? 0 : chroma;
        var cropX = arrayType == 0 ? 1u : (chroma == 3 ? 1u : 2u);
        var cropY = arrayType == 0 ? 2 - frameMbsOnly : (chroma == 1 ? 2u : 1u) * (2 - frameMbsOnly);
        var width = (int)(widthMbs * 16 - cropX * (left + right));
        var height = (int)((2 - frameMbsOnly) * heightMaps * 16 - cropY * (top + bottom));

        var record = new List<byte> { 1, sps[1], sps[2], sps[3], 0xFF, 0xE1 };
        AddSized(record, sps);
        record.Add(1);
        AddSized(record, pps);
        if (profile is 100 or 110 or 122 or 144)
        {
            record.AddRange([(byte)(0xFC | chroma), (byte)(0xF8 | depthLuma), (byte)(0xF8 | depthChroma), 0]);
        }
        return new VideoConfig("avc1", "avcC", width, height, [.. record]);
    }

    public static VideoConfig H265(byte[] vps, byte[] sps, byte[] pps)
    {
        var rbsp = BitReader.ToRbsp(sps.AsSpan(2));
        var r = new BitReader(rbsp);
        r.Skip(4); // sps_video_parameter_set_id
        var maxSubLayersMinus1 = (int)r.Bits(3);
        var temporalIdNested = r.Bits(1);
        if (rbsp.Length < 13)
        {
            throw new InvalidDataException("H.265 SPS truncated");
        }
        var generalPtl = rbsp.AsSpan(1, 12).ToArray(); // profile_space..general_level_idc, 96 bits
        r.Skip(96);
        var profilePresent = new bool[maxSubLayersMinus1];
        var levelPresent = new bool[maxSubLayersMinus1];
        for (var i = 0; i < maxSubLayersMinus1; i++)
        {
            profilePresent[i] = r.Flag();
            levelPresent[i] = r.Flag();
        }
        if (maxSubLayersMinus1 > 0)
        {
            r.Skip(2 * (8 - maxSubLayersMinus1));
        }
        for (var i = 0; i < maxSubLayersMinus1; i++)
        {
            r.Skip((profilePresent[i] ? 88 : 0) + (levelPresent[i] ? 8 : 0));
        }
        r.Ue(); // sps_seq_parameter_set_id
        var chroma = r.Ue();
        if (chroma == 3)
        {
            r.Skip(1);
        }
        var width = r.Ue();
        var height = r.Ue();
        if (r.Flag())
        {
            var subW = chroma is 1 or 2 ? 2u : 1u;
            var subH = chroma == 1 ? 2u : 1u;
            var (left, right, top, bottom) = (r.Ue(), r.Ue(), r.Ue(), r.Ue());
            width -= subW * (left + right);
            height -= subH * (top + bottom);
        }
        var depthLuma = r.Ue();
        var depthChroma = r.Ue();

        var record = new List<byte> { 1 };
        record.AddRange(generalPtl); // profile byte, 32 compatibility flags, 48 constraint flags, general_level_idc
        record.AddRange([0xF0, 0x00, 0xFC, (byte)(0xFC | chroma), (byte)(0xF8 | depthLuma), (byte)(0xF8 | depthChroma), 0, 0]);
        record.Add((byte)(((maxSubLayersMinus1 + 1) << 3) | (int)(temporalIdNested << 2) | 3));
        record.Add(3);
        foreach (var (type, nal) in new[] { (32, vps), (33, sps), (34, pps) })
        {
            record.AddRange([(byte)(0x80 | type), 0, 1]);
            AddSized(record, nal);
        }
        return new VideoConfig("hvc1", "hvcC", (int)width, (int)height, [.. record]);
    }

    private static void SkipScalingList(ref BitReader r, int size)
    {
        int last = 8, next = 8;
        for (var j = 0; j < size; j++)
        {
            if (next != 0)
            {
                next = (last + r.Se() + 256) % 256;
            }
            last = next == 0 ? last : next;
        }
    }

    private static void AddSized(List<byte> record, byte[] nal)
    {
        record.Add((byte)(nal.Length >> 8));
        record.Add((byte)nal.Length);
        record.AddRange(nal);
    }
}
