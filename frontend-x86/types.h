// Fixed-width aliases used throughout Vireo.
#pragma once
#include <bit>
#include <cstddef>
#include <cstdint>

namespace vireo {
using u8 = std::uint8_t;
using u16 = std::uint16_t;
using u32 = std::uint32_t;
using u64 = std::uint64_t;
using i8 = std::int8_t;
using i16 = std::int16_t;
using i32 = std::int32_t;
using i64 = std::int64_t;
using u128 = unsigned __int128;
using i128 = __int128;

// Guest state is little-endian and so are the hosts Vireo targets (x86-64, AArch64, RISC-V);
// register sub-fields (AH, AX ...) are read through byte offsets, which needs this.
static_assert(std::endian::native == std::endian::little, "Vireo needs a little-endian host");

#define VIREO_LIKELY(x) __builtin_expect(!!(x), 1)
#define VIREO_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define VIREO_ALWAYS_INLINE inline __attribute__((always_inline))
}  // namespace vireo
