namespace Weir.Core.Yaml;

/// <summary>The YAML 1.1 core tags in long form.</summary>
internal static class YamlTags
{
    public const string Str = "tag:yaml.org,2002:str";
    public const string Int = "tag:yaml.org,2002:int";
    public const string Float = "tag:yaml.org,2002:float";
    public const string Bool = "tag:yaml.org,2002:bool";
    public const string Null = "tag:yaml.org,2002:null";
    public const string Timestamp = "tag:yaml.org,2002:timestamp";
    public const string Binary = "tag:yaml.org,2002:binary";
    public const string Merge = "tag:yaml.org,2002:merge";

    public static string Short(string tag) =>
        tag.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal) ? "!!" + tag["tag:yaml.org,2002:".Length..] : tag;
}
