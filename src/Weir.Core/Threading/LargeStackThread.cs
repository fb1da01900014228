using System.Runtime.ExceptionServices;

namespace Weir.Core.Threading;

/// <summary>Runs work on a new thread with a large stack while the caller waits, for recursion deeper than a normal stack allows.</summary>
public static class LargeStackThread
{
    /// <summary>The work's result, or its exception rethrown on the calling thread.</summary>
    public static T Run<T>(Func<T> work, int stackBytes)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = work();
                }
                catch (Exception e)
                {
                    failure = ExceptionDispatchInfo.Capture(e);
                }
            },
            stackBytes);
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }
}
