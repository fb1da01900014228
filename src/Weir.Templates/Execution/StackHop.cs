using System.Runtime.CompilerServices;
using Weir.Core.Threading;

namespace Weir.Templates;

/// <summary>
/// Deep recursion without stack overflow: when the current thread's stack runs low, the rest of the work
/// continues on a fresh thread with a large stack while the caller waits. The work is continued, not
/// restarted, so side effects (output, Sprig's map changes) happen once.
/// </summary>
internal static class StackHop
{
    private const int LargeStackBytes = 256 * 1024 * 1024;

    /// <summary>Runs <paramref name="work"/> here if there is room on the stack, otherwise on a new large-stack thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Guard<T>(Func<T> work) =>
        RuntimeHelpers.TryEnsureSufficientExecutionStack() ? work() : OnNewThread(work);

    /// <summary>Runs <paramref name="work"/> and makes sure there is a reasonable stack for it.</summary>
    public static T Run<T>(Func<T> work) => Guard(work);

    public static T OnNewThread<T>(Func<T> work) => LargeStackThread.Run(work, LargeStackBytes);
}
