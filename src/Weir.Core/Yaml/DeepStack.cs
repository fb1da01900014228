using System.Runtime.CompilerServices;

namespace Weir.Core.Yaml;

/// <summary>
/// Runs recursive tree work on the calling thread and, when a document turns out to be nested deeper than that
/// thread's stack allows, again on a thread with a large stack. Past that, a clear <see cref="YamlException"/>
/// instead of a process-killing stack overflow.
/// </summary>
internal static class DeepStack
{
    private const int LargeStackBytes = 512 * 1024 * 1024;

    [ThreadStatic]
    private static bool onLargeStack;

    public static T Run<T>(Func<T> work)
    {
        if (onLargeStack)
        {
            return work();
        }

        try
        {
            return work();
        }
        catch (StackExhaustedException)
        {
        }

        return Threading.LargeStackThread.Run(
            () =>
            {
                onLargeStack = true;
                return work();
            },
            LargeStackBytes);
    }

    /// <summary>Call before each level of recursion.</summary>
    public static void EnsureRoom()
    {
        if (RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            return;
        }

        if (onLargeStack)
        {
            throw new YamlException("yaml: document nested too deeply");
        }

        throw new StackExhaustedException();
    }

    private sealed class StackExhaustedException : Exception;
}
