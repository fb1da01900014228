using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Weir.Kustomize.Build;
using Weir.Kustomize.Flux;
using Weir.Kustomize.Loading;
using Weir.Kustomize.Yaml;
using Weir.Runtime.Artifacts;

namespace Weir.Kustomize.Tests;

/// <summary>
/// The property behind every file Weir takes from an artifact or a checkout: whatever tree of files, directories,
/// symbolic and hard links it holds (chains, loops, absolute and relative targets, <c>..</c> at every depth,
/// hostile entry names, links already in the target), unpacking it with <see cref="SafeExtractor"/> and building
/// it with the kustomize loader fenced at its root neither writes nor reads anything outside that root. Beside the
/// root lies a canary directory: it must stay as it was, and its secret must never appear in any output or error.
/// </summary>
public sealed class HostileTreePropertyTests
{
    private const int Cases = 300;
    private static readonly string[] Segments = ["a", "b", "c", "x.yaml"];

    private enum Kind
    {
        Directory,
        File,
        Symlink,
        HardLink,
    }

    private sealed record Node(Kind Kind, string Name, string Target);

    [Fact]
    public async Task NothingOutsideTheRootIsEverReadOrWritten()
    {
        var random = new Random(20261123);
        for (var i = 0; i < Cases; i++)
        {
            var sandbox = Directory.CreateTempSubdirectory("weir-hostile-").FullName;
            try
            {
                await new Case(random, sandbox, i).RunAsync();
            }
            finally
            {
                Directory.Delete(sandbox, recursive: true);
            }
        }
    }

    private sealed class Case
    {
        private readonly Random _random;
        private readonly string _sandbox;
        private readonly int _number;
        private readonly string _secret;
        private readonly string _canary;
        private readonly List<Node> _nodes = [];

        public Case(Random random, string sandbox, int number)
        {
            _random = random;
            _sandbox = sandbox;
            _number = number;
            _secret = $"canary-secret-{number}-{random.NextInt64():x16}";
            _canary = Path.Combine(sandbox, "canary");
            WriteCanary();
            var count = random.Next(2, 14);
            for (var k = 0; k < count; k++)
            {
                _nodes.Add(RandomNode(k));
            }
        }

        private string Describe => $"case {_number}: " + string.Join("; ", _nodes.Select(n => $"{n.Kind} {n.Name} -> {n.Target}"));

        public async Task RunAsync()
        {
            var outside = Snapshot(_sandbox);

            var extracted = Path.Combine(_sandbox, "extracted");
            var planted = PlantLinksInTheTarget(extracted);
            try
            {
                await SafeExtractor.ExtractAsync(new MemoryStream(Pack()), extracted);
            }
            catch (ArchiveException e)
            {
                Assert.False(e.Message.Contains(_secret, StringComparison.Ordinal), Describe);
            }

            AssertNothingChangedOutside(outside, "extracted");
            if (Directory.Exists(extracted))
            {
                AssertOnlyArchiveContent(extracted, planted);
                BuildEverything(extracted);
            }

            var checkout = Path.Combine(_sandbox, "checkout");
            Materialize(checkout);
            BuildEverything(checkout);
            AssertNothingChangedOutside(outside, "extracted", "checkout");
        }

        private void WriteCanary()
        {
            Directory.CreateDirectory(Path.Combine(_canary, "deep"));
            File.WriteAllText(Path.Combine(_canary, "secret.txt"), _secret);
            File.WriteAllText(Path.Combine(_canary, "deep", "secret.txt"), _secret);
            File.WriteAllText(Path.Combine(_canary, "secret.yaml"),
                $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stolen\ndata:\n  value: {_secret}\n");
            File.WriteAllText(Path.Combine(_canary, "kustomization.yaml"), "resources:\n- secret.yaml\n");
        }

        // ---- the random tree ----

        private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

        private string RandomPath(int maxDepth)
        {
            var known = _nodes.Where(n => n.Kind is Kind.Directory or Kind.Symlink).Select(n => n.Name).ToList();
            var prefix = known.Count > 0 && _random.Next(3) > 0 ? Pick(known) + "/" : "";
            var depth = _random.Next(1, maxDepth + 1);
            return prefix + string.Join('/', Enumerable.Range(0, depth).Select(_ => Pick(Segments)));
        }

        private string Known() => _nodes.Count == 0 ? Pick(Segments) : Pick(_nodes).Name;

        private static int Depth(string name) => name.Count(c => c == '/');

        private string Up(int levels) => string.Concat(Enumerable.Repeat("../", Math.Max(levels, 0)));

        private string CanaryTarget() => Pick(["", "/secret.txt", "/deep", "/deep/secret.txt", "/secret.yaml"]);

        private Node RandomNode(int k)
        {
            var roll = _random.Next(100);
            var name = roll < 8 ? Pick(["../" + Pick(Segments), "/abs/" + Pick(Segments), Known() + "/../../" + Pick(Segments), Known()])
                : _random.Next(4) == 0 && _nodes.Count > 0 ? Known() + "/" + Pick(Segments)
                : RandomPath(3);
            var kind = _random.Next(100) switch
            {
                < 20 => Kind.Directory,
                < 42 => Kind.File,
                < 80 => Kind.Symlink,
                _ => Kind.HardLink,
            };
            var target = kind switch
            {
                Kind.Symlink => SymlinkTarget(name),
                Kind.HardLink => HardLinkTarget(),
                Kind.File => $"safe-{_number}-{k}",
                _ => "",
            };
            return new Node(kind, name, target);
        }

        // {root} stands for the root the tree is unpacked into.
        private string SymlinkTarget(string name)
        {
            var depth = Depth(name);
            return _random.Next(9) switch
            {
                0 => string.Join('/', Enumerable.Range(0, _random.Next(1, 5)).Select(_ => Pick(["..", ".", Known(), Pick(Segments)]))),
                1 => Up(depth + 1 + _random.Next(3)) + "canary" + CanaryTarget(),
                2 => Up(_random.Next(depth + 3)) + Known(),
                3 => Pick([_canary + CanaryTarget(), "/", _sandbox, "/etc"]),
                4 => "{root}/" + Known(),
                5 => Pick([name, Known(), Known() + "/..", Known() + "/" + Up(_random.Next(1, 4)) + "canary" + CanaryTarget()]),
                6 => Pick([".", "..", "../.."]),
                _ => Up(depth) + Known(),
            };
        }

        private string HardLinkTarget() => _random.Next(5) switch
        {
            0 => Up(_random.Next(1, 4)) + "canary/secret.txt",
            1 => _canary + "/secret.txt",
            2 => Known() + "/" + Up(_random.Next(4)) + "canary/secret.txt",
            _ => Known(),
        };

        // ---- the archive ----

        private byte[] Pack()
        {
            var output = new MemoryStream();
            using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            using (var tar = new TarWriter(gz, TarEntryFormat.Pax))
            {
                foreach (var node in _nodes)
                {
                    tar.WriteEntry(node.Kind switch
                    {
                        Kind.Directory => new PaxTarEntry(TarEntryType.Directory, node.Name + "/"),
                        Kind.File => new PaxTarEntry(TarEntryType.RegularFile, node.Name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(node.Target)) },
                        Kind.Symlink => new PaxTarEntry(TarEntryType.SymbolicLink, node.Name) { LinkName = node.Target.Replace("{root}", Path.Combine(_sandbox, "extracted")) },
                        _ => new PaxTarEntry(TarEntryType.HardLink, node.Name) { LinkName = node.Target },
                    });
                }
            }

            return output.ToArray();
        }

        // Sometimes the target already holds links out (a reused directory): nothing may be written through them.
        private List<string> PlantLinksInTheTarget(string target)
        {
            var planted = new List<string>();
            if (_random.Next(4) > 0)
            {
                return planted;
            }

            Directory.CreateDirectory(target);
            foreach (var segment in Segments.Where(_ => _random.Next(2) == 0))
            {
                File.CreateSymbolicLink(Path.Combine(target, segment), Pick([_canary, "../canary", _canary + "/secret.txt"]));
                planted.Add(segment);
            }

            return planted;
        }

        // ---- the same tree as a checkout: real links on disk (hard links have no place in a checkout) ----

        private void Materialize(string root)
        {
            Directory.CreateDirectory(root);
            foreach (var node in _nodes.Where(n => n.Kind != Kind.HardLink))
            {
                var parts = node.Name.Split('/', StringSplitOptions.RemoveEmptyEntries);
                if (node.Name.StartsWith('/') || parts.Any(p => p is ".." or "."))
                {
                    continue;
                }

                // The test's own writer: it never passes a link or an existing entry, so it writes nothing outside.
                var path = root;
                var blocked = false;
                foreach (var part in parts)
                {
                    path = Path.Combine(path, part);
                    blocked |= new FileInfo(path).LinkTarget is not null || File.Exists(path);
                }

                if (blocked || Directory.Exists(path))
                {
                    continue;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                switch (node.Kind)
                {
                    case Kind.Directory:
                        Directory.CreateDirectory(path);
                        break;
                    case Kind.File:
                        File.WriteAllText(path, node.Target);
                        break;
                    default:
                        File.CreateSymbolicLink(path, node.Target.Replace("{root}", root));
                        break;
                }
            }
        }

        // ---- building: paths of the tree, through its links, as generator files or resources ----

        private IEnumerable<string> Candidates()
        {
            var names = _nodes.Select(n => n.Name).ToList();
            var links = _nodes.Where(n => n.Kind == Kind.Symlink).Select(n => n.Name).ToList();
            var candidates = names
                .Concat(links.SelectMany(l => new[] { l + "/secret.txt", l + "/canary/secret.txt", l + "/deep/secret.txt", l + "/secret.yaml", l + "/canary" }))
                .Concat(["../canary/secret.txt", "../canary", _canary + "/secret.txt"])
                .Distinct()
                .ToList();
            return candidates.OrderBy(_ => _random.Next()).Take(8);
        }

        private void BuildEverything(string root)
        {
            var restriction = _random.Next(2) == 0 ? LoadRestriction.None : LoadRestriction.RootOnly;
            var kustomization = Path.Combine(root, "kustomization.yaml");
            Build(root, restriction);
            foreach (var candidate in Candidates())
            {
                File.WriteAllText(kustomization, _random.Next(2) == 0
                    ? $"configMapGenerator:\n- name: probe\n  files:\n  - probe={candidate}\n"
                    : $"resources:\n- '{candidate}'\n");
                Build(root, restriction);
            }

            File.Delete(kustomization);
        }

        private void Build(string root, LoadRestriction restriction)
        {
            string output;
            try
            {
                output = YamlText.SerializeAll(FluxKustomization.Build(root, new FluxBuildSpec(), new BuildOptions(restriction, Fence: root)));
            }
            catch (Exception e)
            {
                // A refusal is a clear error (what the Kustomization reports as BuildFailed), never a crash.
                Assert.True(e is KustomizeException or Weir.Core.Yaml.YamlException, $"{Describe}\n{e}");
                output = e.Message;
            }

            var leaked = output.Contains(_secret, StringComparison.Ordinal)
                || output.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes(_secret)), StringComparison.Ordinal);
            if (leaked)
            {
                var kustomization = Path.Combine(root, "kustomization.yaml");
                Assert.Fail($"{Describe}\nbuilt from {root}:\n{(File.Exists(kustomization) ? File.ReadAllText(kustomization) : "(generated)")}\n{output}");
            }
        }

        // ---- checks ----

        private void AssertNothingChangedOutside(IReadOnlyDictionary<string, string> before, params string[] roots)
        {
            var after = Snapshot(_sandbox);
            foreach (var root in roots)
            {
                foreach (var key in after.Keys.Where(k => k == root || k.StartsWith(root + "/", StringComparison.Ordinal)).ToList())
                {
                    after.Remove(key);
                }
            }

            Assert.True(before.Count == after.Count && before.All(kv => after.TryGetValue(kv.Key, out var v) && v == kv.Value),
                $"{Describe}\nbefore: {string.Join(", ", before)}\nafter: {string.Join(", ", after)}");
        }

        private void AssertOnlyArchiveContent(string extracted, List<string> planted)
        {
            var contents = _nodes.Where(n => n.Kind == Kind.File).Select(n => n.Target).ToHashSet();
            foreach (var (path, value) in Snapshot(extracted))
            {
                if (value.StartsWith("link:", StringComparison.Ordinal))
                {
                    Assert.True(planted.Contains(path), $"{Describe}\nextraction made the link {path} -> {value}");
                }
                else if (value.StartsWith("file:", StringComparison.Ordinal))
                {
                    Assert.True(contents.Contains(value["file:".Length..]), $"{Describe}\n{path} holds '{value}', which is in no archive entry");
                }
            }
        }

        // Every entry below 'dir' without following links: "dir", "file:<content>" or "link:<target>".
        private static Dictionary<string, string> Snapshot(string dir)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            void Walk(DirectoryInfo current)
            {
                foreach (var info in current.EnumerateFileSystemInfos())
                {
                    var key = Path.GetRelativePath(dir, info.FullName).Replace('\\', '/');
                    if (info.LinkTarget is { } target)
                    {
                        result[key] = "link:" + target;
                    }
                    else if (info is DirectoryInfo sub)
                    {
                        result[key] = "dir";
                        Walk(sub);
                    }
                    else
                    {
                        result[key] = "file:" + File.ReadAllText(info.FullName);
                    }
                }
            }

            Walk(new DirectoryInfo(dir));
            return result;
        }
    }
}
