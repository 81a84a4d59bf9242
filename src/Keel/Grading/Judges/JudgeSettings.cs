using Keel.Models;

namespace Keel.Grading.Judges;

/// <summary>
/// How a run's LLM judge grades: its endpoint (from the models file, never a key), the number of independent draws per
/// rubric, how they are voted, and the extra dimensions graded on every transcript. Stored with the run
/// (<c>judge_settings</c> in its config): these define its verdicts.
/// </summary>
/// <param name="Endpoint">The judge model's endpoint: its models-file entry, or the bare spec.</param>
/// <param name="Samples">Independent draws per rubric and transcript (<c>--judge-samples</c>), at least 1.</param>
/// <param name="Vote">How the draws are folded into one verdict (<c>--judge-vote</c>).</param>
/// <param name="Dimensions">Extra dimension ids (<c>--dimensions</c>), in the order given; null or empty for none.</param>
public sealed record JudgeSettings(EndpointConfig Endpoint, int Samples = 1, JudgeVote Vote = JudgeVote.Majority, IReadOnlyList<string>? Dimensions = null)
{
    /// <summary>The dimensions to grade (never null).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> DimensionIds => Dimensions ?? [];
}
