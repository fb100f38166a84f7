using System.Text.RegularExpressions;
using HomeVault.Recording.Rtsp;
using Microsoft.Extensions.Options;

namespace HomeVault.Recording.Configuration;

/// <summary>
/// Validates the <c>HomeVault</c> section. Each failure is one line naming the offending field
/// (e.g. <c>HomeVault:Cameras[1]:Url: ...</c>) so an operator can fix the file without guessing.
/// </summary>
public sealed partial class HomeVaultOptionsValidator : IValidateOptions<HomeVaultOptions>
{
    public const int MinClipSeconds = 2;
    public const int MaxClipSeconds = 3600;

    public ValidateOptionsResult Validate(string? name, HomeVaultOptions options)
    {
        var errors = ValidateAll(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Plain entry point for the CLI: every problem found, one line each; empty = valid.</summary>
    public static IReadOnlyList<string> ValidateAll(HomeVaultOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string root = HomeVaultOptions.SectionName;
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add($"{root}:DataDirectory: required");
        }
        else if (!Path.IsPathFullyQualified(options.DataDirectory))
        {
            errors.Add($"{root}:DataDirectory: must be an absolute path");
        }

        var r = options.Retention;
        if (r is null)
        {
            errors.Add($"{root}:Retention: required");
        }
        else
        {
            if (r.Days is < 1 or > 36500)
            {
                errors.Add($"{root}:Retention:Days: must be 1..36500, was {r.Days}");
            }
            if (r.MaxBytes < 0)
            {
                errors.Add($"{root}:Retention:MaxBytes: must be >= 0 (0 = no budget), was {r.MaxBytes}");
            }
            if (r.MinFreeBytes < 0)
            {
                errors.Add($"{root}:Retention:MinFreeBytes: must be >= 0, was {r.MinFreeBytes}");
            }
        }

        if (options.Replica is { } replica)
        {
            HomeVault.Core.Replica.ReplicaOptionsValidator.Validate(replica, $"{root}:Replica", errors);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Cameras.Count; i++)
        {
            var c = options.Cameras[i];
            var at = $"{root}:Cameras[{i}]";
            if (c is null)
            {
                errors.Add($"{at}: empty entry");
                continue;
            }
            ValidateCamera(c, at, errors);
            if (!string.IsNullOrEmpty(c.Name) && !seen.Add(c.Name))
            {
                errors.Add($"{at}:Name: duplicate camera name '{c.Name}'");
            }
        }
        return errors;
    }

    /// <summary>Validates one camera; <paramref name="at"/> prefixes every message.</summary>
    public static void ValidateCamera(CameraOptions c, string at, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrEmpty(c.Name) || !HomeVault.Core.Catalog.Names.IsValid(c.Name))
        {
            // The value is echoed only when it is short: a pasted URL here could hold a password.
            var shown = c.Name is { Length: <= 40 } ? $", was '{c.Name}'" : "";
            errors.Add($"{at}:Name: must match ^[a-z0-9][a-z0-9_-]{{0,31}}${shown}");
        }

        if (string.IsNullOrWhiteSpace(c.Url))
        {
            errors.Add($"{at}:Url: required");
        }
        else if (!Uri.TryCreate(c.Url, UriKind.Absolute, out var uri) ||
                 (uri.Scheme != "rtsp" && uri.Scheme != "rtsps") || string.IsNullOrEmpty(uri.Host))
        {
            errors.Add($"{at}:Url: must be an absolute rtsp:// or rtsps:// URL");
        }
        else if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            // Never echo the URL: the userinfo is exactly what must not reach a log.
            errors.Add($"{at}:Url: must not contain user:password@; put 'user:password' in CredentialsFile");
        }

        if (c.TlsFingerprint is { } pin && (RtspTls.ParseFingerprint(pin) is null || !c.Url.StartsWith("rtsps://", StringComparison.OrdinalIgnoreCase) || c.Ingest == IngestMode.Ffmpeg))
        {
            errors.Add($"{at}:TlsFingerprint: must be a SHA-256 fingerprint (64 hex digits) for an rtsps:// camera not recorded through ffmpeg");
        }
        if (c.CredentialsFile is not null && !Path.IsPathFullyQualified(c.CredentialsFile))
        {
            errors.Add($"{at}:CredentialsFile: must be an absolute path");
        }
        if (c.ClipSeconds is < MinClipSeconds or > MaxClipSeconds)
        {
            errors.Add($"{at}:ClipSeconds: must be {MinClipSeconds}..{MaxClipSeconds}, was {c.ClipSeconds}");
        }
        if (!Enum.IsDefined(c.Audio))
        {
            errors.Add($"{at}:Audio: must be copy, aac or drop");
        }
        if (!Enum.IsDefined(c.Ingest))
        {
            errors.Add($"{at}:Ingest: must be auto, native or ffmpeg");
        }
        if (!Enum.IsDefined(c.Transport))
        {
            errors.Add($"{at}:Transport: must be tcp, udp or auto");
        }
        if (c.RetainDays is < 1 or > 36500)
        {
            errors.Add($"{at}:RetainDays: must be 1..36500 when set, was {c.RetainDays}");
        }
        if (c.StallSeconds is < 2 or > 600)
        {
            errors.Add($"{at}:StallSeconds: must be 2..600, was {c.StallSeconds}");
        }
    }
}
