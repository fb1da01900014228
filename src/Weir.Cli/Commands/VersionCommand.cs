using System.CommandLine;
using Weir.Core;

namespace Weir.Cli.Commands;

/// <summary><c>weir version</c>: the client version.</summary>
public static class VersionCommand
{
    public static Command Create()
    {
        var version = new Command("version", "Print the weir version");
        version.SetAction(_ => Console.Out.WriteLine($"weir {WeirVersion.Current}"));
        return version;
    }
}
