using Weir.Templates.Values;

namespace Weir.Templates;

/// <summary>What a map lookup of a missing key gives (Go's <c>missingkey</c> option).</summary>
public enum MissingKeyMode
{
    /// <summary>No value: prints <c>&lt;no value&gt;</c> (Go's default, <c>missingkey=default</c>).</summary>
    Default,

    /// <summary>The element type's zero value (<c>missingkey=zero</c>, Helm's non-strict mode).</summary>
    Zero,

    /// <summary>Execution stops with an error (<c>missingkey=error</c>, Helm's strict mode).</summary>
    Error,
}

/// <summary>Reads cluster objects for Helm's <c>lookup</c>; without a cluster it answers with an empty map.</summary>
public interface IClusterLookup
{
    /// <summary>One object (name given) or a list (<c>{"items": [...]}</c>, name empty); an empty map when absent.</summary>
    Value Lookup(string apiVersion, string kind, string @namespace, string name);
}

/// <summary>How templates execute: Go options, Helm's conventions, limits, and the clock and randomness functions use.</summary>
public sealed record TemplateOptions
{
    public static TemplateOptions Default { get; } = new();

    public MissingKeyMode MissingKey { get; init; } = MissingKeyMode.Default;

    /// <summary>Helm removes every <c>&lt;no value&gt;</c> from rendered output (and from tpl's).</summary>
    public bool RemoveNoValue { get; init; }

    /// <summary>Largest output (in characters) one execution may produce, and largest string a function may build.</summary>
    public int MaxOutputChars { get; init; } = 64 * 1024 * 1024;

    /// <summary>Largest list or number of iterations a function may make (until, seq, repeat counts…).</summary>
    public int MaxCollectionLength { get; init; } = 10_000_000;

    /// <summary>Evaluation steps (commands and loop iterations) one execution may take.</summary>
    public long MaxSteps { get; init; } = 100_000_000;

    /// <summary>Nesting of template, include and tpl calls (Helm's limit is 1,000).</summary>
    public int MaxTemplateDepth { get; init; } = 1000;

    /// <summary>The clock behind <c>now</c>, <c>ago</c> and friends.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// Randomness behind <c>rand*</c>, <c>shuffle</c>, <c>uuidv4</c>, <c>randBytes</c>, AES IVs, bcrypt salts, certificate
    /// serials and ed25519 keys; cryptographic unless a test injects a seeded one. RSA, ECDSA and DSA keys always come
    /// from the operating system's generator.
    /// </summary>
    public Random Random { get; init; } = Crypto.CryptoRandom.Instance;

    /// <summary>Helm's <c>lookup</c>; null means no cluster (every lookup is empty).</summary>
    public IClusterLookup? Lookup { get; init; }
}
