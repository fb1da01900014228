namespace Weir.Helm.Charts;

/// <summary>A chart could not be loaded or is not valid; the message reads as Helm prints it.</summary>
public class ChartException : Exception
{
    public ChartException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>Chart.yaml breaks a rule of Helm's chart validation (<c>validation: …</c>).</summary>
public sealed class ChartValidationException : ChartException
{
    public ChartValidationException(string reason)
        : base("validation: " + reason)
    {
        Reason = reason;
    }

    public string Reason { get; }
}
