using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Weir.Core.Api;
using Weir.Core.Api.Source;
using Weir.Core.Conditions;
using Weir.Core.Files;
using Weir.Core.Objects;
using Weir.Core.Time;
using Weir.Runtime.Artifacts;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;
using Weir.Sources.Storage;

namespace Weir.Sources.Buckets;

/// <summary>Settings of the Bucket controller.</summary>
public sealed record BucketOptions : SourceControllerOptions
{
    /// <summary>Objects downloaded at once.</summary>
    public int ConcurrentFetches { get; init; } = 8;
}

/// <summary>
/// Reconciles a Bucket as source-controller does, on the <see cref="ReconcileRunner{TRun}"/>: storage (point a stored
/// artifact's URLs at this server), source (confirm the bucket exists, read its root <c>.sourceignore</c>, list the
/// objects under <c>spec.prefix</c> into an etag index whose digest is the revision), artifact (unless that revision is
/// stored, fetch the objects whose etag changed into the Bucket's mirror, pack it and publish it). S3-compatible
/// services (<c>generic</c>, <c>aws</c>) with static keys; the other providers are refused as not supported.
/// </summary>
public sealed class BucketReconciler : IReconciler, IReconcileSteps<BucketRun>, IDisposable
{
    public const string ControllerName = "source-controller";

    private readonly ArtifactStore _store;
    private readonly ArtifactPublisher _publisher;
    private readonly SourceSecrets _secrets;
    private readonly BucketOptions _options;
    private readonly TimeProvider _clock;
    private readonly ReconcileRunner<BucketRun> _runner;
    private readonly ConcurrentDictionary<ObjectKey, BucketMirror> _mirrors = new();
    private readonly Lazy<DirectoryInfo> _mirrorRoot = new(() => Directory.CreateTempSubdirectory("weir-buckets-"));

    public BucketReconciler(
        ResourceClient client, ArtifactStore store, ArtifactServer server, EventRecorder events, BucketOptions? options = null,
        TimeProvider? clock = null)
    {
        _store = store;
        _publisher = new ArtifactPublisher(store, server, Bucket.KindName);
        _secrets = new SourceSecrets(client);
        _options = options ?? new BucketOptions();
        _clock = clock ?? TimeProvider.System;
        Settings = _options.SettingsFor(KubeResource.Bucket);
        _runner = new ReconcileRunner<BucketRun>(client, events, this);
    }

    public string Kind => Bucket.KindName;

    public string FailureReason => ConditionReasons.Failed;

    public ReconcilerSettings Settings { get; }

    public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken) => _runner.ReconcileAsync(key, cancellationToken);

    public BucketRun Begin(JsonObject obj) => new(obj, _clock);

    public async Task ReconcileAsync(BucketRun run, CancellationToken cancellationToken)
    {
        if (run.Conditions.Get(ConditionTypes.Reconciling) is null)
        {
            run.Conditions.MarkReconciling(ConditionReasons.Progressing, "reconciliation in progress");
        }

        RefuseUnsupported(run.Spec);
        await _publisher.RefreshUrlsAsync(run, cancellationToken);
        using var client = new BucketClient(await ConnectionAsync(run, cancellationToken));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(run.Timeout);
        var index = await IndexAsync(run, client, deadline.Token, cancellationToken);
        var revision = index.Revision();
        if (!_publisher.IsStored(run.Status, revision))
        {
            var message = run.PreviousRevision is { } previous && previous != revision
                ? $"building artifact: new upstream revision '{revision}'"
                : "building artifact";
            await SourceControllerOptions.BuildingAsync(run, message, cancellationToken);
            var mirror = await FetchAsync(run, client, index, deadline.Token, cancellationToken);
            revision = index.Revision();
            var stored = await ArchiveAsync(run, mirror, cancellationToken);
            await _publisher.RecordAsync(run, stored, revision, null, _options.ArtifactsToKeep, cancellationToken);
            run.Fetched = index.Count;
        }

        run.Conditions.Remove(ConditionTypes.FetchFailed);
        run.Conditions.Remove(ConditionTypes.StorageOperationFailed);
        run.Conditions.Remove(ConditionTypes.ArtifactOutdated);
        run.Conditions.MarkTrue(ConditionTypes.ArtifactInStorage, ConditionReasons.Succeeded, $"stored artifact: revision '{revision}'");
        run.Status["observedIgnore"] = run.Spec.Ignore;
    }

    /// <summary>The object is being deleted: its stored artifacts and its mirror go with it.</summary>
    public Task FinalizeAsync(BucketRun run, CancellationToken cancellationToken)
    {
        _store.DeleteObject(Kind, run.Key.Namespace, run.Key.Name);
        if (_mirrors.TryRemove(run.Key, out var mirror))
        {
            Directory.Delete(Path.GetDirectoryName(mirror.Objects)!, recursive: true);
        }

        return Task.CompletedTask;
    }

    public RunNotice? Succeeded(BucketRun run) =>
        run.Fetched is not { } fetched ? null
            : new RunNotice($"stored artifact with {fetched} fetched files from '{run.Spec.BucketName}' bucket", "NewArtifact",
                new Dictionary<string, string> { ["source.toolkit.fluxcd.io/revision"] = run.Status["artifact"]!["revision"]!.GetValue<string>() });

    public void Dispose()
    {
        if (_mirrorRoot.IsValueCreated && _mirrorRoot.Value.Exists)
        {
            _mirrorRoot.Value.Delete(recursive: true);
        }
    }

    /// <summary>Providers and fields Weir does not implement stop the object with a message naming them, rather than being ignored.</summary>
    private static void RefuseUnsupported(BucketSpec spec)
    {
        var provider = spec.Provider is { Length: > 0 } p ? p : "generic";
        var unsupported = new List<string>();
        if (provider is not ("generic" or "aws"))
        {
            unsupported.Add($"the '{provider}' provider (only 'generic' and 'aws' with static keys are)");
        }

        if (spec.Sts is not null)
        {
            unsupported.Add("spec.sts");
        }

        if (spec.ServiceAccountName is { Length: > 0 })
        {
            unsupported.Add("spec.serviceAccountName");
        }

        if (provider == "aws" && spec.SecretRef is null && spec.ServiceAccountName is null)
        {
            unsupported.Add("the 'aws' provider without spec.secretRef (IAM credentials)");
        }

        if (unsupported.Count > 0)
        {
            throw new ReconcileFailure(ConditionReasons.UnsupportedConfiguration,
                $"Weir does not support {string.Join(", ", unsupported)} for Buckets yet", ConditionTypes.FetchFailed, stalled: true);
        }

        if (spec.Endpoint is not { Length: > 0 } endpoint || endpoint.Contains("://", StringComparison.Ordinal) || endpoint.Contains('/'))
        {
            throw new ReconcileFailure(ConditionReasons.URLInvalid,
                $"invalid endpoint '{spec.Endpoint}': expected a host with an optional port, without scheme or path", ConditionTypes.FetchFailed, stalled: true);
        }
    }

    /// <summary>The endpoint and the keys, TLS trust and proxy from the Bucket's secrets.</summary>
    private async Task<BucketConnection> ConnectionAsync(BucketRun run, CancellationToken cancellationToken)
    {
        var spec = run.Spec;
        var ns = run.Key.Namespace;
        var connection = new BucketConnection(spec.Endpoint!, spec.Insecure ?? false, run.Timeout) { Region = spec.Region };
        if (spec.SecretRef?.Name is { Length: > 0 } secretName)
        {
            var data = await _secrets.GetAsync(ns, secretName, cancellationToken);
            if (!data.TryGetValue("accesskey", out var access) || !data.TryGetValue("secretkey", out var secret))
            {
                throw new ReconcileFailure(ConditionReasons.AuthenticationFailed,
                    $"invalid '{secretName}' secret data: required fields 'accesskey' and 'secretkey'", ConditionTypes.FetchFailed);
            }

            connection = connection with { AccessKey = access, SecretKey = secret };
        }

        if (spec.CertSecretRef?.Name is { Length: > 0 } certName)
        {
            connection = WithTls(connection, await _secrets.GetAsync(ns, certName, cancellationToken));
        }

        if (spec.ProxySecretRef?.Name is { Length: > 0 } proxyName)
        {
            var data = await _secrets.GetAsync(ns, proxyName, cancellationToken);
            if (data.GetValueOrDefault("address") is not { Length: > 0 } address)
            {
                throw new ReconcileFailure(ConditionReasons.AuthenticationFailed,
                    $"invalid proxy secret '{ns}/{proxyName}': key 'address' is missing", ConditionTypes.FetchFailed);
            }

            if (!Uri.TryCreate(address, UriKind.Absolute, out var proxyUri))
            {
                throw new ReconcileFailure(ConditionReasons.AuthenticationFailed,
                    $"failed to parse proxy address '{address}'", ConditionTypes.FetchFailed);
            }

            var proxy = new WebProxy(proxyUri);
            if (data.ContainsKey("username") || data.ContainsKey("password"))
            {
                proxy.Credentials = new NetworkCredential(data.GetValueOrDefault("username"), data.GetValueOrDefault("password"));
            }

            connection = connection with { Proxy = proxy };
        }

        return connection;
    }

    private static BucketConnection WithTls(BucketConnection connection, Dictionary<string, string> data)
    {
        try
        {
            var ca = data.GetValueOrDefault("ca.crt");
            var cert = data.GetValueOrDefault("tls.crt");
            var key = data.GetValueOrDefault("tls.key");
            if (ca is not { Length: > 0 } && (cert is not { Length: > 0 } || key is not { Length: > 0 }))
            {
                throw new ReconcileFailure(ConditionReasons.AuthenticationFailed,
                    "certificate secret does not contain any TLS configuration", ConditionTypes.FetchFailed);
            }

            if (ca is { Length: > 0 })
            {
                var cas = new X509Certificate2Collection();
                cas.ImportFromPem(ca);
                connection = connection with { CaCertificates = cas };
            }

            if (cert is { Length: > 0 } && key is { Length: > 0 })
            {
                connection = connection with { ClientCertificate = X509Certificate2.CreateFromPem(cert, key) };
            }

            return connection;
        }
        catch (CryptographicException e)
        {
            throw new ReconcileFailure(ConditionReasons.AuthenticationFailed, $"failed to create TLS config: {e.Message}", ConditionTypes.FetchFailed);
        }
    }

    /// <summary>The etag index of the objects to store: the bucket's root <c>.sourceignore</c> and <c>spec.ignore</c> leave objects out.</summary>
    private static async Task<BucketIndex> IndexAsync(BucketRun run, BucketClient client, CancellationToken deadline, CancellationToken cancellationToken)
    {
        var bucket = run.Spec.BucketName ?? "";
        bool exists;
        try
        {
            exists = await client.ExistsAsync(bucket, deadline);
        }
        catch (Exception e) when (IsBucketError(e, cancellationToken))
        {
            throw Failed($"failed to confirm existence of '{bucket}' bucket: {Cause(client, e)}");
        }

        if (!exists)
        {
            throw Failed($"bucket '{bucket}' not found");
        }

        var rules = new IgnoreRules();
        var ignoreFile = Path.GetTempFileName();
        try
        {
            if (await client.DownloadAsync(bucket, IgnoreRules.SourceIgnoreFile, ignoreFile, deadline) is not null)
            {
                rules.Add("", await File.ReadAllLinesAsync(ignoreFile, cancellationToken));
            }
        }
        catch (Exception e) when (IsBucketError(e, cancellationToken))
        {
            throw Failed($"failed to get Etag for '{IgnoreRules.SourceIgnoreFile}' object: {Cause(client, e)}");
        }
        finally
        {
            File.Delete(ignoreFile);
        }

        if (run.Spec.Ignore is { } ignore)
        {
            rules.Add("", ignore.Split('\n'));
        }

        var index = new BucketIndex();
        try
        {
            await foreach (var o in client.ListAsync(bucket, run.Spec.Prefix, deadline))
            {
                if (!o.Key.EndsWith('/') && o.Key != IgnoreRules.SourceIgnoreFile && !IsIgnored(rules, o.Key))
                {
                    index.Add(o.Key, o.ETag);
                }
            }
        }
        catch (Exception e) when (IsBucketError(e, cancellationToken))
        {
            throw Failed($"indexation of objects from bucket '{bucket}' failed: listing objects from bucket '{bucket}' failed: {Cause(client, e)}");
        }

        return index;
    }

    // A key is left out when it or any directory above it matches, as go-git's matcher does for a split path.
    private static bool IsIgnored(IgnoreRules rules, string key)
    {
        var parts = key.Split('/');
        for (var i = 1; i < parts.Length; i++)
        {
            if (rules.IsIgnored(string.Join('/', parts[..i]), isDirectory: true))
            {
                return true;
            }
        }

        return rules.IsIgnored(key, isDirectory: false);
    }

    /// <summary>Brings the Bucket's mirror in line with the index, downloading only objects whose etag changed.</summary>
    private async Task<BucketMirror> FetchAsync(BucketRun run, BucketClient client, BucketIndex index, CancellationToken deadline,
        CancellationToken cancellationToken)
    {
        var bucket = run.Spec.BucketName ?? "";
        var origin = $"{run.Spec.Endpoint}/{bucket}";
        var mirror = _mirrors.AddOrUpdate(run.Key, _ => NewMirror(origin), (_, existing) => existing.Origin == origin ? existing : Replace(existing, origin));
        var key = "";
        try
        {
            await mirror.SyncAsync(index, async (k, path, ct) =>
            {
                key = k;
                return await client.DownloadAsync(bucket, k, path, ct);
            }, _options.ConcurrentFetches, deadline);
            return mirror;
        }
        catch (PathEscapeException e)
        {
            throw Failed($"fetch from bucket '{bucket}' failed: object key '{Path.GetRelativePath(mirror.Objects, e.Path)}' leads out of the artifact");
        }
        catch (Exception e) when (IsBucketError(e, cancellationToken) || e is IOException)
        {
            throw Failed($"fetch from bucket '{bucket}' failed: failed to get '{key}' object: {Cause(client, e)}");
        }
    }

    private BucketMirror NewMirror(string origin) =>
        new(Directory.CreateDirectory(Path.Combine(_mirrorRoot.Value.FullName, Guid.NewGuid().ToString("N"))).FullName, origin);

    private BucketMirror Replace(BucketMirror existing, string origin)
    {
        Directory.Delete(Path.GetDirectoryName(existing.Objects)!, recursive: true);
        return NewMirror(origin);
    }

    private async Task<StoredArtifact> ArchiveAsync(BucketRun run, BucketMirror mirror, CancellationToken cancellationToken)
    {
        var archive = Path.Combine(_mirrorRoot.Value.FullName, $"{Guid.NewGuid():N}.tar.gz");
        try
        {
            await using (var output = File.Create(archive))
            {
                // The index already left out what the ignore rules exclude; no default exclusions for Buckets.
                await ArtifactArchiver.CreateAsync(mirror.Objects, output, new IgnoreRules(), cancellationToken);
            }

            await using var packed = File.OpenRead(archive);
            return await _store.StoreAsync(Kind, run.Key.Namespace, run.Key.Name, packed, cancellationToken);
        }
        catch (IOException e)
        {
            throw new ReconcileFailure(ConditionReasons.ArchiveOperationFailed,
                $"unable to archive artifact to storage: {e.Message}", ConditionTypes.StorageOperationFailed);
        }
        finally
        {
            File.Delete(archive);
        }
    }

    private static bool IsBucketError(Exception e, CancellationToken cancellationToken) =>
        e is Amazon.Runtime.AmazonClientException or Amazon.Runtime.AmazonServiceException or HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private static string Cause(BucketClient client, Exception e) => e is OperationCanceledException ? "context deadline exceeded" : client.Describe(e);

    private static ReconcileFailure Failed(string message) =>
        new(ConditionReasons.BucketOperationFailed, message, ConditionTypes.FetchFailed);
}

/// <summary>One Bucket reconcile: its typed spec, and how many objects the new artifact holds when one was stored.</summary>
public sealed class BucketRun : ReconcileRun
{
    public BucketRun(JsonObject obj, TimeProvider clock)
        : base(obj, TimeSpan.FromMinutes(1), clock)
    {
        Spec = ApiObjects.Read<Bucket>(obj).Spec ?? new BucketSpec();
        PreviousRevision = Status["artifact"]?["revision"]?.GetValue<string>();
        Timeout = FluxDuration.TryParse(Spec.Timeout ?? "60s", out var timeout) ? timeout : TimeSpan.FromSeconds(60);
    }

    public BucketSpec Spec { get; }

    /// <summary>The revision stored when the run started.</summary>
    public string? PreviousRevision { get; }

    /// <summary><c>spec.timeout</c>: the bound of each bucket operation.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Files in the artifact stored by this run (null when the stored artifact was already current).</summary>
    public int? Fetched { get; set; }
}
