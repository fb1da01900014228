using System.Threading.Channels;

namespace Weir.Cluster.Storage;

/// <summary>Fans every committed change out to the live watch subscriptions.</summary>
internal sealed class WatchHub
{
    private readonly List<WatchSubscription> _subscribers = [];

    public WatchSubscription Subscribe()
    {
        var sub = new WatchSubscription(this);
        lock (_subscribers)
        {
            _subscribers.Add(sub);
        }
        return sub;
    }

    public void Publish(ChangeEvent change)
    {
        lock (_subscribers)
        {
            foreach (var s in _subscribers)
            {
                s.Writer.TryWrite(change);
            }
        }
    }

    public void Remove(WatchSubscription sub)
    {
        lock (_subscribers)
        {
            _subscribers.Remove(sub);
        }
    }

    public void CloseAll()
    {
        lock (_subscribers)
        {
            foreach (var s in _subscribers)
            {
                s.Writer.TryComplete();
            }
            _subscribers.Clear();
        }
    }
}

/// <summary>A live feed of changes; dispose to stop receiving.</summary>
public sealed class WatchSubscription : IDisposable
{
    private readonly WatchHub _hub;
    private readonly Channel<ChangeEvent> _channel = Channel.CreateUnbounded<ChangeEvent>(new UnboundedChannelOptions { SingleReader = true });

    internal WatchSubscription(WatchHub hub) => _hub = hub;

    internal ChannelWriter<ChangeEvent> Writer => _channel.Writer;

    public ChannelReader<ChangeEvent> Reader => _channel.Reader;

    public void Dispose()
    {
        _hub.Remove(this);
        _channel.Writer.TryComplete();
    }
}
