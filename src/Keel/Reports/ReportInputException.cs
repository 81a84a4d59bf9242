namespace Keel.Reports;

/// <summary>A report cannot be made from what was asked for (an unknown run or model, runs that cannot be compared); the message says how to fix it.</summary>
public sealed class ReportInputException(string message) : Exception(message);
