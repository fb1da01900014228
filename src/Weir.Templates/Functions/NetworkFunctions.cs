using System.Net;
using System.Text;
using Weir.Templates.Values;
using static Weir.Templates.Functions.FunctionBuilder;

namespace Weir.Templates.Functions;

/// <summary>Sprig's network and URL functions: getHostByName, urlParse, urlJoin.</summary>
internal static class NetworkFunctions
{
    public static IReadOnlyList<TemplateFunction> Create()
    {
        var b = new FunctionBuilder();
        b.Add("getHostByName", [Str], static (c, a) =>
        {
            IPAddress[] addresses;
            try
            {
                addresses = Dns.GetHostAddresses(a[0].AsString);
            }
            catch (System.Net.Sockets.SocketException)
            {
                addresses = [];
            }

            if (addresses.Length == 0)
            {
                throw new TemplateFunctionException("runtime error: index out of range [0] with length 0");
            }

            return Value.String(addresses[c.Options.Random.Next(addresses.Length)].ToString());
        });
        b.Add("urlParse", [Str], static (_, a) => Value.Map(UrlParse(a[0].AsString)));
        b.Add("urlJoin", [Map], static (_, a) => Value.String(UrlJoin(a[0].AsMap)));
        return b.Functions;
    }

    private static GoMap UrlParse(string v)
    {
        var u = GoUrl.Parse(v);
        var map = new GoMap();
        map.Set("scheme", Value.String(u.Scheme));
        map.Set("host", Value.String(u.Host));
        map.Set("hostname", Value.String(u.Hostname));
        map.Set("path", Value.String(u.Path));
        map.Set("query", Value.String(u.RawQuery));
        map.Set("opaque", Value.String(u.Opaque));
        map.Set("fragment", Value.String(u.Fragment));
        map.Set("userinfo", Value.String(u.User ?? ""));
        return map;
    }

    private static string Get(GoMap d, string key)
    {
        if (!d.TryGet(key, out var v))
        {
            return "";
        }

        return v.Ref as string ?? throw new TemplateFunctionException($"unable to parse {key} key, must be of type string, but {SprigValues.KindName(v)} found");
    }

    private static string UrlJoin(GoMap d)
    {
        var u = new GoUrl
        {
            Scheme = Get(d, "scheme"),
            Host = Get(d, "host"),
            Path = Get(d, "path"),
            RawQuery = Get(d, "query"),
            Opaque = Get(d, "opaque"),
            Fragment = Get(d, "fragment"),
        };
        var userinfo = Get(d, "userinfo");
        if (userinfo.Length > 0)
        {
            u.User = GoUrl.Parse("proto://" + userinfo + "@host").User;
        }

        return u.ToString();
    }
}

/// <summary>The parts of Go's net/url that urlParse and urlJoin use.</summary>
internal sealed class GoUrl
{
    public string Scheme { get; set; } = "";

    public string Opaque { get; set; } = "";

    public string? User { get; set; }

    public string Host { get; set; } = "";

    public string Path { get; set; } = "";

    public string RawQuery { get; set; } = "";

    public string Fragment { get; set; } = "";

    public string Hostname
    {
        get
        {
            var h = Host;
            if (h.StartsWith('['))
            {
                var end = h.IndexOf(']', StringComparison.Ordinal);
                return end > 0 ? h[1..end] : h;
            }

            var colon = h.LastIndexOf(':');
            return colon >= 0 ? h[..colon] : h;
        }
    }

    public static GoUrl Parse(string raw)
    {
        if (raw.Any(c => c < 0x20 || c == 0x7F))
        {
            throw new TemplateFunctionException($"unable to parse url: parse {Formatting.GoQuote.Quote(raw)}: net/url: invalid control character in URL");
        }

        var u = new GoUrl();
        var rest = raw;
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            u.Fragment = Uri.UnescapeDataString(rest[(hash + 1)..]);
            rest = rest[..hash];
        }

        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && char.IsAsciiLetter(rest[0]) && rest[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
        {
            u.Scheme = rest[..colon].ToLowerInvariant();
            rest = rest[(colon + 1)..];
        }
        else if (colon == 0)
        {
            throw new TemplateFunctionException($"unable to parse url: parse {Formatting.GoQuote.Quote(raw)}: missing protocol scheme");
        }

        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            u.RawQuery = rest[(q + 1)..];
            rest = rest[..q];
        }

        CheckEscapes(raw, rest);
        if (u.Scheme.Length == 0 && !rest.StartsWith('/') && rest.Split('/')[0].Contains(':', StringComparison.Ordinal))
        {
            throw new TemplateFunctionException($"unable to parse url: parse {Formatting.GoQuote.Quote(raw)}: first path segment in URL cannot contain colon");
        }

        if (!rest.StartsWith('/') && u.Scheme.Length > 0)
        {
            u.Opaque = rest;
            return u;
        }

        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            var authority = rest[2..];
            var slash = authority.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                rest = authority[slash..];
                authority = authority[..slash];
            }
            else
            {
                rest = "";
            }

            var at = authority.LastIndexOf('@');
            if (at >= 0)
            {
                u.User = authority[..at];
                authority = authority[(at + 1)..];
            }

            u.Host = authority;
        }

        u.Path = Uri.UnescapeDataString(rest);
        return u;
    }

    private static void CheckEscapes(string raw, string part)
    {
        for (var i = 0; i < part.Length; i++)
        {
            if (part[i] == '%' && (i + 2 >= part.Length || !char.IsAsciiHexDigit(part[i + 1]) || !char.IsAsciiHexDigit(part[i + 2])))
            {
                var bad = part.Substring(i, Math.Min(3, part.Length - i));
                throw new TemplateFunctionException($"unable to parse url: parse {Formatting.GoQuote.Quote(raw)}: invalid URL escape {Formatting.GoQuote.Quote(bad)}");
            }
        }
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Scheme.Length > 0)
        {
            sb.Append(Scheme).Append(':');
        }

        if (Opaque.Length > 0)
        {
            sb.Append(Opaque);
        }
        else
        {
            if (Scheme.Length > 0 || Host.Length > 0 || User is not null)
            {
                if (Host.Length > 0 || Path.Length > 0 || User is not null)
                {
                    sb.Append("//");
                }

                if (User is not null)
                {
                    sb.Append(User).Append('@');
                }

                sb.Append(Host);
            }

            if (Path.Length > 0 && Path[0] != '/' && Host.Length > 0)
            {
                sb.Append('/');
            }

            sb.Append(Path);
        }

        if (RawQuery.Length > 0)
        {
            sb.Append('?').Append(RawQuery);
        }

        if (Fragment.Length > 0)
        {
            sb.Append('#').Append(Fragment);
        }

        return sb.ToString();
    }
}
