namespace Weir.Oci.Distribution;

/// <summary>
/// An <see cref="IProgress{T}"/> that reports on the calling thread, in order
/// (<see cref="Progress{T}"/> posts to the thread pool, so reports can arrive late or out of order).
/// </summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
