namespace Weir.Templates.Values;

/// <summary>Go's reflect.Kind, as far as template values need it.</summary>
public enum GoKind : byte
{
    Invalid,
    Bool,
    Int,
    Int8,
    Int16,
    Int32,
    Int64,
    Uint,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
    Uintptr,
    Float32,
    Float64,
    Complex128,
    String,
    Slice,
    Map,
    Struct,
    Pointer,
    Interface,
    Func,
}
