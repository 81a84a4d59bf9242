namespace Keel.Reports;

/// <summary>
/// A report laid out once, independent of format: a title, a few lines about what was measured, and titled tables of
/// already formatted cells. The table, Markdown and HTML renderers all draw this, so every format shows the same numbers.
/// </summary>
/// <param name="Title">The report's title.</param>
/// <param name="About">Lines under the title: runs, hashes, seeds, models, cost.</param>
/// <param name="Sections">The tables, in order.</param>
public sealed record ReportDocument(string Title, IReadOnlyList<string> About, IReadOnlyList<ReportSection> Sections);

/// <summary>One titled table with notes on how its numbers were computed.</summary>
/// <param name="Title">Section title.</param>
/// <param name="Notes">Method and weighting statements printed with the table.</param>
/// <param name="Table">The table.</param>
public sealed record ReportSection(string Title, IReadOnlyList<string> Notes, ReportTable Table);

/// <summary>A table of formatted cells; numeric columns are right-aligned.</summary>
/// <param name="Columns">Column headers.</param>
/// <param name="Rows">Rows, each with one cell per column.</param>
/// <param name="Numeric">Indexes of the columns that hold numbers.</param>
public sealed record ReportTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows, IReadOnlySet<int> Numeric);
