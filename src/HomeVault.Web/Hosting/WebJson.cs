using System.Text.Json;
using System.Text.Json.Serialization;
using HomeVault.Web.Intake;
using HomeVault.Web.Operations;

namespace HomeVault.Web.Hosting;

/// <summary>
/// Every type the web side writes as JSON, with the web defaults (camelCase), generated at build time: the service is
/// a native binary without reflection-based serialization, and the JIT build runs with that switched off too.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SubmittedRequest))]
[JsonSerializable(typeof(WebhookEvent))]
internal sealed partial class WebJson : JsonSerializerContext;
