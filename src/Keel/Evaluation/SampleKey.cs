namespace Keel.Evaluation;

/// <summary>Identifies a sample within a run: which model, which condition, which repeat.</summary>
public sealed record SampleKey(string Model, string ConditionId, int Epoch)
{
    /// <inheritdoc />
    public override string ToString() => $"{Model} {ConditionId} #{Epoch}";
}
