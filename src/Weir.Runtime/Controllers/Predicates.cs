using Weir.Core.Objects;

namespace Weir.Runtime.Controllers;

/// <summary>
/// The change filters Flux's controllers enqueue on: a new object, a deletion, a spec change (generation), a
/// new <c>reconcile.fluxcd.io/requestedAt</c> value, or a resync.
/// </summary>
public static class Predicates
{
    public const string RequestedAtAnnotation = "reconcile.fluxcd.io/requestedAt";

    public static bool GenerationOrRequestChanged(ObjectChange change)
    {
        if (change.Old is null || change.New is null)
        {
            return true;
        }

        if (ReferenceEquals(change.Old, change.New) || change.Old.ResourceVersion() == change.New.ResourceVersion())
        {
            return true; // resync
        }

        return change.Old.Generation() != change.New.Generation()
            || change.Old.Annotation(RequestedAtAnnotation) != change.New.Annotation(RequestedAtAnnotation)
            || change.Old.Metadata()?["deletionTimestamp"] is null != (change.New.Metadata()?["deletionTimestamp"] is null);
    }
}
