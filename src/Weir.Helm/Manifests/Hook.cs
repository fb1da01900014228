namespace Weir.Helm.Manifests;

/// <summary>A manifest annotated <c>helm.sh/hook</c>: run at the given events, in weight order, deleted by its policies.</summary>
public sealed record Hook
{
    public const string Annotation = "helm.sh/hook";
    public const string WeightAnnotation = "helm.sh/hook-weight";
    public const string DeletePolicyAnnotation = "helm.sh/hook-delete-policy";
    public const string OutputLogPolicyAnnotation = "helm.sh/hook-output-log-policy";

    /// <summary>The events Helm knows; a hook naming any other is skipped.</summary>
    public static readonly IReadOnlySet<string> Events = new HashSet<string>(StringComparer.Ordinal)
    {
        "pre-install", "post-install", "pre-delete", "post-delete", "pre-upgrade", "post-upgrade",
        "pre-rollback", "post-rollback", "test", "test-success",
    };

    public required string Name { get; init; }

    public required string Kind { get; init; }

    /// <summary>The template it came from (<c>chart/templates/x.yaml</c>).</summary>
    public required string Path { get; init; }

    public required string Manifest { get; init; }

    public required IReadOnlyList<string> HookEvents { get; init; }

    public int Weight { get; init; }

    public IReadOnlyList<string> DeletePolicies { get; init; } = [];

    public IReadOnlyList<string> OutputLogPolicies { get; init; } = [];

    public bool IsTest => HookEvents.Contains("test") || HookEvents.Contains("test-success");
}

/// <summary>One rendered document that is not a hook: the template it came from, its text and its kind.</summary>
public sealed record Manifest(string Name, string Content, string Kind, string ResourceName);
