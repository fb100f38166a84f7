using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HomeVault.Cli.Infrastructure;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Json;
using HomeVault.Core.Vault;

namespace HomeVault.Cli.Commands;

/// <summary>
/// `homevault requests submit|list|show|approve|deny`: access requests ("warrants") from intake to the owners'
/// signed decision; the quorum's last approval builds the release (Core/Disclosure/DisclosureService, its clips written by Recording/ReleasedClips).
/// </summary>
internal static partial class RequestsCommands
{
    private const string Actor = "cli";

    public static Command Build()
    {
        var command = new Command("requests", "Receive, review, approve (narrowed, owner-signed) or deny access requests");
        command.Subcommands.Add(BuildSubmit());
        command.Subcommands.Add(BuildList());
        command.Subcommands.Add(BuildShow());
        command.Subcommands.Add(BuildApprove());
        command.Subcommands.Add(BuildDeny());
        return command;
    }

    private static Command BuildSubmit()
    {
        var file = new Option<string>("--file", "-f") { Description = "The request as JSON (see config/request.example.json)", Required = true, HelpName = "FILE" };
        var document = new Option<string?>("--document") { Description = "The warrant or order as a PDF; stored only sealed to the owners", HelpName = "PDF" };
        var command = new Command("submit", "Validate and record an access request as pending (its scope goes on legal hold); prints the id last") { file, document };
        command.SetAction(result =>
        {
            var json = File.ReadAllBytes(result.GetValue(file)!);
            var pdfPath = result.GetValue(document);
            if (pdfPath is not null && !File.Exists(pdfPath))
            {
                throw new UserError($"--document: file {pdfPath} does not exist");
            }
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            IReadOnlyList<string> known;
            using (var read = vault.Catalog.Read())
            {
                known = read.Cameras.ListNames();
            }
            var validation = new AccessRequestValidator(known).Validate(json);
            if (validation.Request is not { } request)
            {
                throw Refused(validation.Problems);
            }
            IReadOnlyList<StoredRequest> earlier;
            using (var read = vault.Catalog.Read())
            {
                earlier = read.Requests.FindByDigest(request.Digest());
            }
            StoredRequest added;
            try
            {
                using var pdf = pdfPath is null ? null : File.OpenRead(pdfPath);
                added = new RequestIntake(vault.Data, vault.Catalog).Submit(request, pdf, Actor);
            }
            catch (CatalogException ex)
            {
                throw new UserError(ex.Message);
            }
            var r = added.Request;
            Console.Out.WriteLine($"received: {r.Requester.Organization}, {Basis(r.LegalBasis)}");
            Console.Out.WriteLine($"scope: {string.Join(",", r.Scope.Cameras)} from {WireTime.Format(r.Scope.From)} to {WireTime.Format(r.Scope.To)} (on legal hold while pending)");
            Console.Out.WriteLine($"digest: {added.Digest}");
            if (added.Document is { } d)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"document: sha256 {d.Sha256}, {d.Bytes} bytes, sealed to the owners at {d.Path}"));
            }
            foreach (var e in earlier)
            {
                Console.Error.WriteLine($"homevault: note: the same request (same digest) was already received as {e.Id} ({e.State.ToDb()})");
            }
            Console.Out.WriteLine(added.Id);
            return CliApp.Ok;
        });
        return command;
    }

    private static Command BuildList()
    {
        var state = new Option<string?>("--state") { Description = "Only requests in this state (pending, approved, denied, preserved, released, revoked, expired, closed)", HelpName = "S" };
        var json = new Option<bool>("--json") { Description = "Print a JSON array (id, state, received, organization, legalBasis, reference, cameras, from, to)" };
        var command = new Command("list", "List access requests, newest first") { state, json };
        command.SetAction(result =>
        {
            RequestState? only = null;
            if (result.GetValue(state) is { } s)
            {
                try
                {
                    only = RequestStates.FromDb(s);
                }
                catch (InvalidOperationException)
                {
                    throw new UserError($"--state: unknown state '{s}' (pending, approved, denied, preserved, released, revoked, expired, closed)");
                }
            }
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            using var read = vault.Catalog.Read();
            var requests = read.Requests.List(only);
            if (result.GetValue(json))
            {
                WriteJson(requests);
                return CliApp.Ok;
            }
            foreach (var q in requests)
            {
                var r = q.Request;
                Console.Out.WriteLine($"{q.Id}  {q.State.ToDb(),-9}  {WireTime.Format(q.Received)}  {r.Requester.Organization}  {Basis(r.LegalBasis)}  {string.Join(",", r.Scope.Cameras)}  {WireTime.Format(r.Scope.From)}..{WireTime.Format(r.Scope.To)}");
            }
            Console.Error.WriteLine($"{requests.Count} requests");
            return CliApp.Ok;
        });
        return command;
    }

    private static void WriteJson(IReadOnlyList<StoredRequest> requests)
    {
        using var writer = new Utf8JsonWriter(Console.OpenStandardOutput(), new JsonWriterOptions { Indented = true });
        writer.WriteStartArray();
        foreach (var q in requests)
        {
            var r = q.Request;
            writer.WriteStartObject();
            writer.WriteString("id", q.Id);
            writer.WriteString("state", q.State.ToDb());
            writer.WriteString("received", WireTime.Format(q.Received));
            writer.WriteString("organization", r.Requester.Organization);
            writer.WriteString("legalBasis", r.LegalBasis.Type.ToWireName());
            if (r.LegalBasis.Reference is { } reference)
            {
                writer.WriteString("reference", reference);
            }
            writer.WriteStartArray("cameras");
            foreach (var c in r.Scope.Cameras)
            {
                writer.WriteStringValue(c);
            }
            writer.WriteEndArray();
            writer.WriteString("from", WireTime.Format(r.Scope.From));
            writer.WriteString("to", WireTime.Format(r.Scope.To));
            writer.WriteString("digest", q.Digest);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.Flush();
        Console.Out.WriteLine();
    }

    private static string Subject(string id) => "request/" + id;

    private static string Basis(LegalBasis basis) =>
        basis.Reference is { } reference ? $"{basis.Type.ToWireName()} \"{reference}\"" : basis.Type.ToWireName();

    /// <summary>Every problem on its own line, each naming its field (the first line too).</summary>
    private static UserError Refused(IReadOnlyList<string> problems) =>
        new(problems.Count == 0 ? "request refused" : string.Join("\nhomevault: ", problems));

    private static StoredRequest GetRequest(Installation vault, string id)
    {
        using var read = vault.Catalog.Read();
        return read.Requests.Find(id) ?? throw new UserError($"no request with id '{id}' (see 'homevault requests list')");
    }
}
