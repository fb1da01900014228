using System.Diagnostics;
using System.Text;
using Weir.Core.Yaml;

// What reading YAML costs per input byte: time, bytes allocated and bytes kept alive by the parsed documents, for
// documents of the shapes manifests take, and what refusing a document over the size limit costs.
var size = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 4 << 20;
var shapes = new (string Name, string Yaml)[]
{
    ("many small keys", ManyKeys(size)),
    ("manifests (block style)", Manifests(size)),
    ("flow style (JSON)", FlowItems(size)),
    ("one large string", OneLargeString(size)),
    ("literal block scalar", LiteralBlock(size)),
};

KubeYaml.ParseAll(ManyKeys(64 << 10)); // JIT warm-up
Console.WriteLine($"| shape | input KiB | parse ms (best of 3) | allocated / input | kept alive / input |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (var (name, yaml) in shapes)
{
    var bytes = Encoding.UTF8.GetByteCount(yaml);
    var best = TimeSpan.MaxValue;
    long allocated = 0;
    for (var i = 0; i < 3; i++)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        KubeYaml.ParseAll(yaml);
        best = clock.Elapsed < best ? clock.Elapsed : best;
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
    }

    var kept = KeptAlive(yaml);
    Console.WriteLine($"| {name} | {bytes >> 10} | {best.TotalMilliseconds:F0} | {allocated / (double)bytes:F1} | {kept / (double)bytes:F1} |");
}

var tooLarge = ManyKeys(YamlOptions.DefaultMaxDocumentBytes + 1);
var refuseBefore = GC.GetAllocatedBytesForCurrentThread();
var refuseClock = Stopwatch.StartNew();
try
{
    KubeYaml.ParseAll(tooLarge);
}
catch (YamlException)
{
    // Expected: refused by size.
}

Console.WriteLine($"refusing a {tooLarge.Length >> 20} MiB document: {refuseClock.Elapsed.TotalMilliseconds:F1} ms, " +
    $"{GC.GetAllocatedBytesForCurrentThread() - refuseBefore} bytes allocated");
Console.WriteLine($"(machine load average: {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");

// In a method of its own, so that nothing of one measurement is still referenced when the next one starts.
[System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
static long KeptAlive(string yaml)
{
    var baseline = GC.GetTotalMemory(forceFullCollection: true);
    var docs = KubeYaml.ParseAll(yaml);
    var kept = GC.GetTotalMemory(forceFullCollection: true) - baseline;
    GC.KeepAlive(docs);
    return kept;
}

static string Fill(long bytes, string head, Func<int, string> item, string tail = "")
{
    var yaml = new StringBuilder(head);
    for (var i = 0; yaml.Length < bytes; i++)
    {
        yaml.Append(item(i));
    }

    return yaml.Append(tail).ToString();
}

static string ManyKeys(long bytes) =>
    Fill(bytes, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n", i => $"  k{i}: v{i}\n");

static string Manifests(long bytes) =>
    Fill(bytes, "", i => $"---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-{i}\n  labels: {{app: web}}\nspec:\n" +
        "  replicas: 3\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n" +
        "        args: [\"--port\", \"8080\"]\n        env:\n        - name: A\n          value: \"yes\"\n");

static string FlowItems(long bytes) => Fill(bytes, "{\"items\": [", i => $"{{\"a\": {i}, \"b\": \"s{i}\"}}, ", "1]}\n");

static string OneLargeString(long bytes) =>
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: " + new string('x', (int)bytes) + "\n";

static string LiteralBlock(long bytes) =>
    Fill(bytes, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: |\n", _ => "    a line of text in a block scalar\n");
