using HomeVault.Recording.Configuration;
using Microsoft.Extensions.Configuration;

namespace HomeVault.Recording.Tests.Configuration;

public sealed class ValidationTests
{
    private static HomeVaultOptions Valid()
    {
        var o = new HomeVaultOptions { DataDirectory = "/var/lib/homevault" };
        o.Cameras.Add(new CameraOptions { Name = "front-door", Url = "rtsp://192.0.2.10:554/stream1", CredentialsFile = "/etc/homevault/front.cred" });
        o.Cameras.Add(new CameraOptions { Name = "garden_2", Url = "rtsps://cam.local/live", ClipSeconds = 30, Audio = AudioMode.Drop });
        return o;
    }

    [Fact]
    public void A_valid_configuration_has_no_errors()
    {
        Assert.Empty(HomeVaultOptionsValidator.ValidateAll(Valid()));
        Assert.True(new HomeVaultOptionsValidator().Validate(null, Valid()).Succeeded);
    }

    [Theory]
    [InlineData("Name", "Front Door", "HomeVault:Cameras[0]:Name:")]
    [InlineData("Name", "-x", "HomeVault:Cameras[0]:Name:")]
    [InlineData("Name", "garden_2", "HomeVault:Cameras[1]:Name: duplicate")]
    [InlineData("Url", "http://192.0.2.10/x", "HomeVault:Cameras[0]:Url: must be an absolute rtsp://")]
    [InlineData("Url", "", "HomeVault:Cameras[0]:Url: required")]
    [InlineData("ClipSeconds", "1", "HomeVault:Cameras[0]:ClipSeconds: must be 2..3600, was 1")]
    [InlineData("ClipSeconds", "3601", "HomeVault:Cameras[0]:ClipSeconds:")]
    [InlineData("StallSeconds", "0", "HomeVault:Cameras[0]:StallSeconds:")]
    [InlineData("RetainDays", "0", "HomeVault:Cameras[0]:RetainDays:")]
    [InlineData("CredentialsFile", "relative.cred", "HomeVault:Cameras[0]:CredentialsFile:")]
    [InlineData("Transport", "7", "HomeVault:Cameras[0]:Transport: must be tcp, udp or auto")]
    public void Each_bad_camera_field_is_named_in_one_line(string field, string value, string expected)
    {
        var o = Valid();
        var c = o.Cameras[0];
        switch (field)
        {
            case "Name": c.Name = value; break;
            case "Url": c.Url = value; break;
            case "ClipSeconds": c.ClipSeconds = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "StallSeconds": c.StallSeconds = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "RetainDays": c.RetainDays = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "CredentialsFile": c.CredentialsFile = value; break;
            case "Transport": c.Transport = (TransportMode)int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
        }
        var errors = HomeVaultOptionsValidator.ValidateAll(o);
        var error = Assert.Single(errors);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void A_pinned_tls_fingerprint_is_taken_only_as_sha256_hex_for_an_rtsps_camera_that_ffmpeg_will_not_record()
    {
        const string pin = "B9:96:1C:21:21:B0:8C:2B:F3:4A:DB:B3:DA:1D:60:03:FF:F8:B6:C3:C0:2C:F1:88:73:6C:80:1F:32:82:DA:6B";
        var o = Valid();
        o.Cameras[1].TlsFingerprint = pin;
        Assert.Empty(HomeVaultOptionsValidator.ValidateAll(o));
        o.Cameras[1].TlsFingerprint = pin.Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
        Assert.Empty(HomeVaultOptionsValidator.ValidateAll(o));
        foreach (var (url, value, ingest) in new[] { ("rtsps://cam.local/live", pin[..^3], IngestMode.Auto), ("rtsp://cam.local/live", pin, IngestMode.Auto), ("rtsps://cam.local/live", pin, IngestMode.Ffmpeg) })
        {
            (o.Cameras[1].Url, o.Cameras[1].TlsFingerprint, o.Cameras[1].Ingest) = (url, value, ingest);
            Assert.StartsWith("HomeVault:Cameras[1]:TlsFingerprint: must be a SHA-256 fingerprint", Assert.Single(HomeVaultOptionsValidator.ValidateAll(o)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_url_with_credentials_is_refused_without_echoing_them()
    {
        var o = Valid();
        o.Cameras[0].Url = "rtsp://admin:hunter2@192.0.2.10/stream";
        var error = Assert.Single(HomeVaultOptionsValidator.ValidateAll(o));
        Assert.StartsWith("HomeVault:Cameras[0]:Url: must not contain user:password@", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", new HomeVaultOptionsValidator().Validate(null, o).FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Global_fields_are_named()
    {
        var o = Valid();
        o.DataDirectory = "data";
        o.Retention.Days = 0;
        o.Retention.MaxBytes = -1;
        var errors = HomeVaultOptionsValidator.ValidateAll(o);
        Assert.Contains(errors, e => e.StartsWith("HomeVault:DataDirectory:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("HomeVault:Retention:Days:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("HomeVault:Retention:MaxBytes:", StringComparison.Ordinal));
    }

    [Fact]
    public void Binds_from_configuration_including_cameras_and_audio_mode()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["HomeVault:DataDirectory"] = "/srv/hv",
            ["HomeVault:Retention:Days"] = "14",
            ["HomeVault:Cameras:0:Name"] = "porch",
            ["HomeVault:Cameras:0:Url"] = "rtsp://192.0.2.5/h264",
            ["HomeVault:Cameras:0:Audio"] = "aac",
            ["HomeVault:Cameras:0:ClipSeconds"] = "30",
            ["HomeVault:Cameras:0:Ingest"] = "native",
            ["HomeVault:Cameras:1:Name"] = "shed",
            ["HomeVault:Cameras:1:Url"] = "rtsp://192.0.2.6/udp-only",
            ["HomeVault:Cameras:1:Transport"] = "udp",
        }).Build();
        var o = new HomeVaultOptions();
        config.GetSection(HomeVaultOptions.SectionName).Bind(o);
        Assert.Equal(14, o.Retention.Days);
        var cam = o.Cameras[0];
        Assert.Equal(("porch", AudioMode.Aac, 30, 20, IngestMode.Native, TransportMode.Tcp), (cam.Name, cam.Audio, cam.ClipSeconds, cam.StallSeconds, cam.Ingest, cam.Transport));
        Assert.Equal(("shed", TransportMode.Udp), (o.Cameras[1].Name, o.Cameras[1].Transport));
        Assert.Empty(HomeVaultOptionsValidator.ValidateAll(o));
    }

    [Fact]
    public void Credentials_file_is_parsed_and_never_printed()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "admin:pa:ss@word\n");
            var c = CameraCredentials.Load(path);
            Assert.Equal(("admin", "pa:ss@word"), (c.User, c.Password));
            Assert.DoesNotContain("pa:ss", c.ToString(), StringComparison.Ordinal);
            File.WriteAllText(path, "nocolon-secret\n");
            var e = Assert.Throws<InvalidDataException>(() => CameraCredentials.Load(path));
            Assert.DoesNotContain("nocolon-secret", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
