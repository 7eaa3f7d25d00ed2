// How the vector code is compiled (internal): warnings and inlining.
#pragma once

// g++ 12.2 reports its own AVX-512 intrinsics (_mm512_undefined_*, used inside
// the conversion and 64-bit shift intrinsics) as "used uninitialized" once
// they are inlined (GCC bug 105593, fixed in 12.3).  The warning is about the
// compiler's headers, not this code, so every vector header silences it for
// its own functions only, between these two macros.
#if defined(__GNUC__) && !defined(__clang__)
#define ACTX_VECTOR_CODE_BEGIN                                        \
    _Pragma("GCC diagnostic push")                                    \
    _Pragma("GCC diagnostic ignored \"-Wuninitialized\"")             \
    _Pragma("GCC diagnostic ignored \"-Wmaybe-uninitialized\"")
#define ACTX_VECTOR_CODE_END _Pragma("GCC diagnostic pop")
#else
#define ACTX_VECTOR_CODE_BEGIN
#define ACTX_VECTOR_CODE_END
#endif

#include <actx/core/inline.hpp>  // ACTX_INLINE, ACTX_ALWAYS_INLINE
