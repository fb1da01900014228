namespace Weir.Testing;

/// <summary>A Secret as SOPS writes it: ciphertext values and the <c>sops</c> metadata block, as a repository holds it.</summary>
public static class SopsSecret
{
    public static string Manifest(string name, string ns) => $"""
        apiVersion: v1
        kind: Secret
        metadata:
          name: {name}
          namespace: {ns}
        type: Opaque
        data:
          password: ENC[AES256_GCM,data:Tr7o=,iv:1=,tag:2=,type:str]
        sops:
          age:
          - recipient: age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq
            enc: x
          lastmodified: "2026-11-23T00:00:00Z"
          mac: ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]
          version: 3.9.0

        """;
}
