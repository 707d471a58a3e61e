// The running executable's own function symbols (its ELF .symtab, local ones included), so that
// tier 1 can tell which function of the semantics bitcode a tier-0 handler pointer is.
#pragma once
#include <string>
#include <unordered_map>
#include "frontend-x86/types.h"

namespace vireo::jit {

class SelfSymbols {
public:
    // Reads /proc/self/exe; empty when it has no symbol table (a stripped binary).
    SelfSymbols();
    // Whether /proc/self/exe has a symbol table at all (reads the section headers only).
    static bool binary_has_symtab();
    // The name of the function starting at addr; nullptr when unknown or when several local
    // functions share the name (the bitcode could not tell them apart).
    const std::string* name_at(const void* addr) const;
    // The address of a function or data object by name; 0 when unknown or ambiguous.
    u64 address_of(const std::string& name) const {
        auto it = by_name_.find(name);
        return it == by_name_.end() ? 0 : it->second;
    }
    bool empty() const { return by_addr_.empty(); }

private:
    std::unordered_map<u64, std::string> by_addr_;  // functions
    std::unordered_map<std::string, u64> by_name_;  // functions and objects
};

}  // namespace vireo::jit
