using System.Security.Cryptography;
using Weir.Templates.Functions;
using Weir.Templates.Values;

namespace Weir.Templates.Crypto;

/// <summary>
/// Sprig's encryptAES/decryptAES: AES-256-CBC, the password's bytes zero-padded (or cut) to the 32-byte key, PKCS#7
/// padding, a random IV in front, base64. decryptAES fails where Go's panics, with Go's runtime messages.
/// </summary>
internal static class SprigAes
{
    private const int BlockSize = 16;

    public static string Encrypt(string password, string plaintext, Random random)
    {
        if (plaintext.Length == 0)
        {
            return "";
        }

        using var aes = Create(password);
        var iv = new byte[BlockSize];
        random.NextBytes(iv);
        var ciphertext = aes.EncryptCbc(Utf8.Bytes(plaintext), iv, PaddingMode.PKCS7);
        return Convert.ToBase64String([.. iv, .. ciphertext]);
    }

    public static string Decrypt(string password, string base64)
    {
        if (base64.Length == 0)
        {
            return "";
        }

        if (!GoBaseDecoding.TryBase64(base64, out var data, out var error))
        {
            throw new TemplateFunctionException(error);
        }

        if (data.Length < BlockSize)
        {
            // Go's decoder allocates three bytes per four input bytes; the panic reports that capacity.
            throw new TemplateFunctionException($"runtime error: slice bounds out of range [:{BlockSize}] with capacity {Utf8.ByteCount(base64) / 4 * 3}");
        }

        if ((data.Length - BlockSize) % BlockSize != 0)
        {
            throw new TemplateFunctionException("crypto/cipher: input not full blocks");
        }

        using var aes = Create(password);
        var plain = aes.DecryptCbc(data.AsSpan(BlockSize), data.AsSpan(0, BlockSize), PaddingMode.None);
        if (plain.Length == 0)
        {
            throw new TemplateFunctionException("runtime error: index out of range [-1]");
        }

        var end = plain.Length - plain[^1];
        if (end < 0)
        {
            throw new TemplateFunctionException($"runtime error: slice bounds out of range [:{end}]");
        }

        return Utf8.Decode(plain.AsSpan(0, end));
    }

    private static Aes Create(string password)
    {
        var key = new byte[32];
        var bytes = Utf8.Bytes(password);
        bytes.AsSpan(0, Math.Min(bytes.Length, key.Length)).CopyTo(key);
        var aes = Aes.Create();
        aes.Key = key;
        return aes;
    }
}
