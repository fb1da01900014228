using System.Text.Json.Nodes;
using Weir.Core.Api;
using Weir.Core.Api.Source;
using Weir.Core.Conditions;
using Weir.Core.Files;
using Weir.Core.Objects;
using Weir.Core.Time;
using Weir.Oci.Versioning;
using Weir.Runtime.Artifacts;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;
using Weir.Sources.Storage;

namespace Weir.Sources.GitRepositories;

/// <summary>Settings of the GitRepository controller.</summary>
public sealed record GitRepositoryOptions : SourceControllerOptions
{
    /// <summary>Largest checkout (the sum of its files); a larger commit fails before anything is written.</summary>
    public long MaxCheckoutSize { get; init; } = 512L * 1024 * 1024;

    /// <summary>How soon a GitRepository whose includes are not available yet tries again (source-controller's <c>--requeue-dependency</c>).</summary>
    public TimeSpan RequeueDependency { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Reconciles a GitRepository as source-controller does, in three steps on the <see cref="ReconcileRunner{TRun}"/>:
/// storage (point a stored artifact's URLs at this server), source (resolve <c>spec.ref</c> with the <c>git</c> CLI
/// to a revision such as <c>main@sha1:…</c>, and unless that revision is already stored, fetch it shallowly, check it
/// out and pack it with the ignore rules), artifact (publish it in <c>status.artifact</c>, collect old ones).
/// Deleting the object removes its stored artifacts (finalizer).
/// </summary>
public sealed class GitRepositoryReconciler : IReconciler, IReconcileSteps<GitRepositoryRun>
{
    public const string ControllerName = "source-controller";

    private readonly SourceSecrets _secrets;
    private readonly ArtifactStore _store;
    private readonly ArtifactPublisher _publisher;
    private readonly GitRepositoryOptions _options;
    private readonly TimeProvider _clock;
    private readonly ReconcileRunner<GitRepositoryRun> _runner;
    private readonly GitIncludes _includes;

    public GitRepositoryReconciler(
        ResourceClient client, ArtifactStore store, ArtifactServer server, EventRecorder events, GitRepositoryOptions? options = null,
        TimeProvider? clock = null)
    {
        _secrets = new SourceSecrets(client);
        _store = store;
        _publisher = new ArtifactPublisher(store, server, GitRepository.KindName);
        _options = options ?? new GitRepositoryOptions();
        _clock = clock ?? TimeProvider.System;
        Settings = _options.SettingsFor(KubeResource.GitRepository) with { ReadySummary = ReadySummary.GitRepository };
        _includes = new GitIncludes(client, store, _options.RequeueDependency);
        _runner = new ReconcileRunner<GitRepositoryRun>(client, events, this);
    }

    public string Kind => GitRepository.KindName;

    /// <summary>source-controller's generic reason for a failure no condition of its own describes.</summary>
    public string FailureReason => ConditionReasons.Failed;

    public ReconcilerSettings Settings { get; }

    public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken) => _runner.ReconcileAsync(key, cancellationToken);

    public GitRepositoryRun Begin(JsonObject obj) => new(obj, _clock);

    public async Task ReconcileAsync(GitRepositoryRun run, CancellationToken cancellationToken)
    {
        if (run.Conditions.Get(ConditionTypes.Reconciling) is null)
        {
            run.Conditions.MarkReconciling(ConditionReasons.Progressing, "reconciliation in progress");
        }

        RefuseUnsupported(run.Spec);
        await _publisher.RefreshUrlsAsync(run, cancellationToken);
        var stored = await ReconcileSourceAsync(run, cancellationToken);
        await ReconcileArtifactAsync(run, stored, cancellationToken);
    }

    /// <summary>The object is being deleted: its stored artifacts go with it.</summary>
    public Task FinalizeAsync(GitRepositoryRun run, CancellationToken cancellationToken)
    {
        _store.DeleteObject(Kind, run.Key.Namespace, run.Key.Name);
        return Task.CompletedTask;
    }

    public RunNotice? Succeeded(GitRepositoryRun run)
    {
        if (run.Commit is not { } commit || commit.Revision == run.PreviousRevision)
        {
            return null;
        }

        return new RunNotice($"stored artifact for commit '{commit.Subject}'", "NewArtifact",
            new Dictionary<string, string> { ["source.toolkit.fluxcd.io/revision"] = commit.Revision })
        {
            LogFields = new Dictionary<string, string> { ["revision"] = commit.Revision },
        };
    }

    /// <summary>Resolves the revision; returns what was newly stored, or null when the stored artifact is already current.</summary>
    private async Task<StoredArtifact?> ReconcileSourceAsync(GitRepositoryRun run, CancellationToken cancellationToken)
    {
        var spec = run.Spec;
        var url = spec.Url ?? "";
        if (spec.Verify is null)
        {
            run.Conditions.Remove(ConditionTypes.SourceVerified);
            run.Status.Remove("sourceVerificationMode");
        }

        using var access = new GitAccess(url);
        if (spec.SecretRef?.Name is { Length: > 0 } secretName)
        {
            var data = await _secrets.GetAsync(run.Key.Namespace, secretName, cancellationToken);
            Configure(access, () => access.UseSecret(data));
        }

        if (spec.ProxySecretRef?.Name is { Length: > 0 } proxyName)
        {
            var data = await _secrets.GetAsync(run.Key.Namespace, proxyName, cancellationToken);
            Configure(access, () => access.UseProxy(data));
        }

        var timeout = FluxDuration.TryParse(spec.Timeout ?? "60s", out var parsed) ? parsed : TimeSpan.FromSeconds(60);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var checkout = new GitCheckout(new GitCommand(access), url);
        var work = Directory.CreateTempSubdirectory("weir-git-");
        try
        {
            var resolved = await GitAsync(access, () => checkout.ResolveAsync(spec.Ref, deadline.Token), cancellationToken);
            var status = run.Status;
            var includes = spec.Include ?? [];
            run.IncludedArtifacts = await _includes.FetchAsync(run.Key, includes, cancellationToken);
            run.Conditions.Remove(ConditionTypes.IncludeUnavailable);
            var includesChanged = GitIncludes.Differ(run.IncludedArtifacts, status["includedArtifacts"]);
            if (includesChanged && status["includedArtifacts"] is not null)
            {
                run.Conditions.MarkTrue(ConditionTypes.ArtifactOutdated, "IncludeChange", "included artifacts differ from last observed includes");
            }

            var upToDate = _publisher.IsStored(status, resolved.Revision)
                && !includesChanged
                && status["observedIgnore"]?.GetValue<string>() == spec.Ignore
                && status["observedGeneration"]?.GetValue<long>() == run.Object.Generation();
            if (upToDate)
            {
                return null;
            }

            var message = resolved.Revision is { } next && status["artifact"]?["revision"]?.GetValue<string>() is { } previous && previous != next
                ? $"building artifact: new upstream revision '{next}'"
                : "building artifact";
            await SourceControllerOptions.BuildingAsync(run, message, cancellationToken);
            var tree = Path.Combine(work.FullName, "tree");
            var gitDir = Path.Combine(work.FullName, "git");
            run.Commit = await GitAsync(access, () => checkout.FetchAsync(resolved, gitDir, _options.MaxCheckoutSize, deadline.Token), cancellationToken);
            // Without includes, submodules or a sparse checkout the artifact is packed from the git objects: no work
            // tree is written unless the commit holds something a checkout would write differently.
            var needsTree = includes.Count > 0 || spec.RecurseSubmodules == true || spec.SparseCheckout is { Count: > 0 };
            if (!needsTree)
            {
                if (spec.Verify is { } verifyFirst)
                {
                    await VerifyAsync(run, verifyFirst, resolved, new GitCommand(access), gitDir, deadline.Token);
                }

                var objects = new GitTreeArchive(new GitCommand(access), gitDir);
                var packed = await ArchiveAsync(run, tree,
                    output => GitAsync(access, () => objects.TryCreateAsync(run.Commit.Hash, output, IgnoreRules.ForSpec(spec.Ignore), deadline.Token), cancellationToken),
                    cancellationToken);
                if (packed is not null)
                {
                    return packed;
                }
            }

            await GitAsync(access, async () =>
            {
                await checkout.CheckoutAsync(run.Commit, gitDir, tree, spec.SparseCheckout, deadline.Token);
                return true;
            }, cancellationToken);
            if (spec.RecurseSubmodules == true)
            {
                var submodules = new GitSubmodules(new GitCommand(access), url);
                await GitAsync(access, async () =>
                {
                    await submodules.UpdateAsync(gitDir, tree, run.Commit.Hash, _options.MaxCheckoutSize, deadline.Token);
                    return true;
                }, cancellationToken);
            }

            if (spec.Verify is { } verify && needsTree)
            {
                await VerifyAsync(run, verify, resolved, new GitCommand(access), gitDir, deadline.Token);
            }

            await _includes.CopyAsync(includes, run.IncludedArtifacts, tree, work.FullName, cancellationToken);
            return await ArchiveAsync(run, tree, async output =>
            {
                await ArtifactArchiver.CreateAsync(tree, output, IgnoreRules.ForSpec(spec.Ignore), cancellationToken);
                return true;
            }, cancellationToken);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Stores the archive <paramref name="write"/> packs (of <paramref name="tree"/> or its commit); null when it declined.</summary>
    private async Task<StoredArtifact?> ArchiveAsync(GitRepositoryRun run, string tree, Func<Stream, Task<bool>> write, CancellationToken cancellationToken)
    {
        var archive = Path.Combine(Path.GetDirectoryName(tree)!, "artifact.tar.gz");
        try
        {
            await using (var output = File.Create(archive))
            {
                if (!await write(output))
                {
                    return null;
                }
            }

            await using var packed = File.OpenRead(archive);
            return await _store.StoreAsync(Kind, run.Key.Namespace, run.Key.Name, packed, cancellationToken);
        }
        catch (PathEscapeException e)
        {
            throw new ReconcileFailure(ConditionReasons.ArchiveOperationFailed,
                $"unable to archive artifact to storage: path '{Path.GetRelativePath(tree, e.Path)}' leads out of the checkout", ConditionTypes.StorageOperationFailed);
        }
        catch (IOException e)
        {
            throw new ReconcileFailure(ConditionReasons.ArchiveOperationFailed,
                $"unable to archive artifact to storage: {e.Message}", ConditionTypes.StorageOperationFailed);
        }
    }

    /// <summary>Publishes a newly stored artifact, collects old ones, and records what the artifact was built from.</summary>
    private async Task ReconcileArtifactAsync(GitRepositoryRun run, StoredArtifact? stored, CancellationToken cancellationToken)
    {
        var status = run.Status;
        if (stored is not null)
        {
            await _publisher.RecordAsync(run, stored, run.Commit!.Revision, null, _options.ArtifactsToKeep, cancellationToken);
        }

        var revision = status["artifact"]!["revision"]!.GetValue<string>();
        run.Conditions.Remove(ConditionTypes.FetchFailed);
        run.Conditions.Remove(ConditionTypes.StorageOperationFailed);
        run.Conditions.Remove(ConditionTypes.ArtifactOutdated);
        run.Conditions.MarkTrue(ConditionTypes.ArtifactInStorage, ConditionReasons.Succeeded, $"stored artifact for revision '{revision}'");
        status["observedIgnore"] = run.Spec.Ignore;
        status["observedRecurseSubmodules"] = run.Spec.RecurseSubmodules == true ? true : null;
        if (stored is not null)
        {
            status["includedArtifacts"] = run.IncludedArtifacts.Count > 0 ? new JsonArray(run.IncludedArtifacts.Select(a => (JsonNode?)a.DeepClone()).ToArray()) : null;
            status["observedInclude"] = run.Spec.Include is { Count: > 0 } ? run.Object["spec"]?["include"]?.DeepClone() : null;
        }

        status["observedSparseCheckout"] = run.Spec.SparseCheckout is { Count: > 0 } sparse
            ? new JsonArray(sparse.Select(p => (JsonNode?)p).ToArray()) : null;
    }

    /// <summary>
    /// Verifies the OpenPGP signature of the HEAD commit and/or the tag (<c>spec.verify.mode</c>) against the keys of
    /// <c>spec.verify.secretRef</c>: SourceVerified True naming the keys, or False and nothing stored.
    /// </summary>
    private async Task VerifyAsync(GitRepositoryRun run, GitRepositoryVerification verify, ResolvedRef resolved, GitCommand git, string gitDir,
        CancellationToken cancellationToken)
    {
        var mode = verify.Mode is { Length: > 0 } m ? m : "HEAD";
        var verifyTag = mode is "Tag" or "TagAndHEAD";
        var verifyHead = mode is "HEAD" or "head" or "TagAndHEAD";
        if (verifyTag && !resolved.FetchTarget.StartsWith("refs/tags/", StringComparison.Ordinal))
        {
            throw Unverified(run, "InvalidVerificationMode", "cannot verify tag object's signature if a tag reference is not specified");
        }

        Dictionary<string, string> keys;
        try
        {
            keys = await _secrets.GetAsync(run.Key.Namespace, verify.SecretRef?.Name ?? "", cancellationToken);
        }
        catch (ReconcileFailure e)
        {
            throw Unverified(run, "VerificationError", $"PGP public keys secret error: {e.Message[(e.Message.IndexOf("': ", StringComparison.Ordinal) + 3)..]}");
        }

        using var signatures = new GitSignatures(git, gitDir);
        await signatures.ImportAsync(keys.Values, cancellationToken);
        var message = new System.Text.StringBuilder("verified signature of");
        var commit = run.Commit!;
        if (verifyTag)
        {
            var tagName = resolved.FetchTarget["refs/tags/".Length..];
            var tagObject = (await git.RunAsync(gitDir, ["rev-parse", "FETCH_HEAD"], cancellationToken)).Trim();
            try
            {
                var key = await signatures.VerifyTagAsync(tagObject, cancellationToken);
                message.Append($"\n\t- tag '{tagName}@sha1:{commit.Hash}' with key '{key}'");
            }
            catch (Exception e) when (e is SignatureException or GitException)
            {
                throw Unverified(run, "InvalidTagSignature", $"signature verification of tag '{tagName}@sha1:{commit.Hash}' failed: {e.Message}");
            }
        }

        if (verifyHead)
        {
            try
            {
                var key = await signatures.VerifyCommitAsync(commit.Hash, cancellationToken);
                message.Append($"\n\t- commit '{commit.Hash}' with key '{key}'");
            }
            catch (SignatureException e)
            {
                throw Unverified(run, "InvalidCommitSignature", $"signature verification of commit '{commit.Hash}' failed: {e.Message}");
            }
        }

        run.Conditions.MarkTrue(ConditionTypes.SourceVerified, ConditionReasons.Succeeded, message.ToString());
        run.Status["sourceVerificationMode"] = mode;
    }

    private static ReconcileFailure Unverified(GitRepositoryRun run, string reason, string message)
    {
        run.Conditions.MarkFalse(ConditionTypes.SourceVerified, reason, message);
        return new ReconcileFailure(reason, message, ConditionTypes.FetchFailed);
    }

    /// <summary>Fields Weir does not implement yet stop the object with a message naming them, rather than being ignored.</summary>
    private static void RefuseUnsupported(GitRepositorySpec spec)
    {
        var unsupported = new List<string>();
        if (spec.Provider is { Length: > 0 } provider && provider != "generic")
        {
            unsupported.Add($"spec.provider '{provider}'");
        }

        if (unsupported.Count > 0)
        {
            throw new ReconcileFailure(ConditionReasons.UnsupportedConfiguration,
                $"Weir does not support {string.Join(", ", unsupported)} for GitRepositories yet", ConditionTypes.FetchFailed, stalled: true);
        }
    }

    private static void Configure(GitAccess access, Action configure)
    {
        try
        {
            configure();
        }
        catch (GitException e)
        {
            throw new ReconcileFailure(ConditionReasons.AuthenticationFailed,
                $"failed to configure authentication options: {e.Message}", ConditionTypes.FetchFailed);
        }
    }

    // Git failures keep Flux's wording: "failed to checkout and determine revision: unable to clone '<url>': <cause>".
    private static async Task<T> GitAsync<T>(GitAccess access, Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        try
        {
            return await operation();
        }
        catch (SemverSelectionException e)
        {
            throw new ReconcileFailure(ConditionReasons.GitOperationFailed,
                $"failed to checkout and determine revision: {e.Message}", ConditionTypes.FetchFailed);
        }
        catch (Exception e) when (e is GitException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var cause = e is GitException ? e.Message : "context deadline exceeded";
            if (access.Proxy is { } proxy && (cause.StartsWith("unable to access", StringComparison.Ordinal) || cause == "authentication required"))
            {
                cause += $" (through the proxy '{proxy}')";
            }

            throw new ReconcileFailure(ConditionReasons.GitOperationFailed,
                $"failed to checkout and determine revision: unable to clone '{access.RedactedUrl}': {cause}", ConditionTypes.FetchFailed);
        }
    }
}

/// <summary>One GitRepository reconcile: its typed spec and the commit it checked out, if any.</summary>
public sealed class GitRepositoryRun : ReconcileRun
{
    public GitRepositoryRun(JsonObject obj, TimeProvider clock)
        : base(obj, TimeSpan.FromMinutes(1), clock)
    {
        Spec = ApiObjects.Read<GitRepository>(obj).Spec ?? new GitRepositorySpec();
        PreviousRevision = Status["artifact"]?["revision"]?.GetValue<string>();
    }

    public GitRepositorySpec Spec { get; }

    /// <summary>The revision stored when the run started.</summary>
    public string? PreviousRevision { get; }

    /// <summary>The commit checked out by this run (null when the stored artifact was already current).</summary>
    public GitCommit? Commit { get; set; }

    /// <summary>The artifacts of <c>spec.include</c>'s repositories, in its order.</summary>
    public IReadOnlyList<JsonObject> IncludedArtifacts { get; set; } = [];
}
