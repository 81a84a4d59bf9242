namespace Keel.Grading.External;

/// <summary>An item of an external transcript file that cannot be read; the message says what is wrong and how to fix it.</summary>
public sealed class ExternalFormatException(string message) : Exception(message);
