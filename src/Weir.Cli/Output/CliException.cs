namespace Weir.Cli;

/// <summary>A failure the CLI reports as <c>✗ message</c> and exit code 1.</summary>
public class CliException(string message) : Exception(message);

/// <summary>A misuse of the command line: reported like <see cref="CliException"/> with exit code 2.</summary>
public sealed class CliUsageException(string message) : CliException(message);
