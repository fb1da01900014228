namespace Weir.Helm.Rendering;

/// <summary>
/// Helm's post-renderer: takes the rendered documents as one YAML stream and returns the stream to install instead.
/// Runs after the templates are rendered and before the documents are sorted into hooks and resources.
/// </summary>
public interface IPostRenderer
{
    /// <summary>Returns the new stream; an exception fails the render (its message is reported).</summary>
    string Run(string manifests);
}

/// <summary>Which documents Helm 4 sends to the post-renderer, and how.</summary>
public enum PostRenderStrategy
{
    /// <summary>Hooks and resources in one stream (Helm 4's default).</summary>
    Combined,

    /// <summary>Hooks and resources in two streams, so one object in both does not collide.</summary>
    Separate,

    /// <summary>Resources only; hooks stay as rendered (Helm 3).</summary>
    NoHooks,
}
