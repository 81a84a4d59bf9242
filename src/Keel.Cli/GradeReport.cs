using Keel.Grading.External;
using Keel.Grading.Judges;

namespace Keel.Cli;

/// <summary>What <c>keel grade FILE</c> prints: where the transcripts and facts came from, the verdicts, the problems and the rates.</summary>
/// <param name="File">The transcript file.</param>
/// <param name="Layout">Its layout: jsonl, json-array, inspect-log or json.</param>
/// <param name="Basis">Where the facts and world came from.</param>
/// <param name="Items">Items in the file, graded or not.</param>
/// <param name="Verdicts">One per graded item.</param>
/// <param name="Problems">Items that were skipped, by line.</param>
/// <param name="Summary">Rates per family (and over all).</param>
/// <param name="Judge">The judge's settings; null without a judge.</param>
/// <param name="JudgeUsage">The judge's calls, tokens and cost; null without a judge.</param>
internal sealed record GradeReport(
    string File,
    string Layout,
    string Basis,
    int Items,
    IReadOnlyList<ExternalVerdict> Verdicts,
    IReadOnlyList<ItemProblem> Problems,
    IReadOnlyList<ExternalSummary> Summary,
    JudgeSettings? Judge,
    JudgeUsage? JudgeUsage);
