using Keel.Models;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Keel.Cli;

/// <summary>
/// <c>--otel</c>: exports the chat pipeline's spans and metrics (OpenTelemetry GenAI semantic conventions,
/// from Microsoft.Extensions.AI) over OTLP. The endpoint and protocol come from the standard
/// <c>OTEL_EXPORTER_OTLP_*</c> variables. Message contents are not recorded.
/// </summary>
internal static class Telemetry
{
    public static IDisposable? Start(bool enabled)
    {
        if (!enabled) return null;
        var resource = ResourceBuilder.CreateDefault().AddService("keel", serviceVersion: Keel.Evaluation.RunFactory.KeelVersion);
        var tracer = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddSource(ModelFactory.TelemetrySource).AddOtlpExporter().Build();
        var meter = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource).AddMeter(ModelFactory.TelemetrySource).AddOtlpExporter().Build();
        return new Both(tracer, meter);
    }

    private sealed class Both(IDisposable a, IDisposable b) : IDisposable
    {
        public void Dispose()
        {
            a.Dispose();
            b.Dispose();
        }
    }
}
