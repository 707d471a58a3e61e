// Monitor expressions (monitor_expr.h). A small recursive-descent evaluator with QEMU's
// grammar (monitor/hmp.c expr_sum -> expr_logic -> expr_prod -> expr_unary).
#include "softmmu/monitor_expr.h"

#include <cctype>
#include <cstdlib>
#include "frontend-x86/flags.h"

namespace vireo {

namespace {

struct RegName {
    const char* name;
    int gpr;  // x86::Gpr, or -1 for the special ones below
};

// QEMU target/i386/monitor.c monitor_defs (x86-64): 32-bit names read the whole register.
constexpr RegName kRegs[] = {
    {"rax", x86::RAX}, {"rcx", x86::RCX}, {"rdx", x86::RDX}, {"rbx", x86::RBX}, {"rsp", x86::RSP},
    {"rbp", x86::RBP}, {"rsi", x86::RSI}, {"rdi", x86::RDI}, {"r8", x86::R8},   {"r9", x86::R9},
    {"r10", x86::R10}, {"r11", x86::R11}, {"r12", x86::R12}, {"r13", x86::R13}, {"r14", x86::R14},
    {"r15", x86::R15}, {"eax", x86::RAX}, {"ecx", x86::RCX}, {"edx", x86::RDX}, {"ebx", x86::RBX},
    {"esp", x86::RSP}, {"ebp", x86::RBP}, {"esi", x86::RSI}, {"edi", x86::RDI},
};

class Parser {
public:
    Parser(std::string_view s, const x86::CpuState* cpu) : s_(s), cpu_(cpu) {}

    std::optional<u64> run(std::string& err) {
        const u64 v = sum();
        skip();
        if (err_.empty() && pos_ < s_.size()) err_ = "invalid char in expression";
        if (!err_.empty()) {
            err = err_;
            return std::nullopt;
        }
        return v;
    }

private:
    void skip() {
        while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) pos_++;
    }
    char peek() {
        skip();
        return pos_ < s_.size() ? s_[pos_] : '\0';
    }
    u64 sum() {
        u64 v = logic();
        for (char op; err_.empty() && ((op = peek()) == '+' || op == '-');) {
            pos_++;
            const u64 r = logic();
            v = op == '+' ? v + r : v - r;
        }
        return v;
    }
    u64 logic() {
        u64 v = prod();
        for (char op; err_.empty() && ((op = peek()) == '&' || op == '|' || op == '^');) {
            pos_++;
            const u64 r = prod();
            v = op == '&' ? v & r : op == '|' ? v | r : v ^ r;
        }
        return v;
    }
    u64 prod() {
        u64 v = unary();
        for (char op; err_.empty() && ((op = peek()) == '*' || op == '/' || op == '%');) {
            pos_++;
            const u64 r = unary();
            if (op == '*') {
                v *= r;
            } else if (r == 0) {
                err_ = "division by zero";
                return 0;
            } else {
                v = op == '/' ? v / r : v % r;
            }
        }
        return v;
    }
    u64 unary() {
        const char c = peek();
        if (!err_.empty()) return 0;
        switch (c) {
        case '+': pos_++; return unary();
        case '-': pos_++; return 0 - unary();
        case '~': pos_++; return ~unary();
        case '(': {
            pos_++;
            const u64 v = sum();
            if (peek() != ')') {
                if (err_.empty()) err_ = "')' expected";
                return 0;
            }
            pos_++;
            return v;
        }
        case '$': return reg();
        case '\0': err_ = "unexpected end of expression"; return 0;
        default: break;
        }
        const std::string rest(s_.substr(pos_));
        char* end = nullptr;
        const u64 v = std::strtoull(rest.c_str(), &end, 0);
        if (end == rest.c_str()) {
            err_ = "invalid char in expression";
            return 0;
        }
        pos_ += static_cast<size_t>(end - rest.c_str());
        return v;
    }
    u64 reg() {
        pos_++;  // '$'
        const size_t start = pos_;
        while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) pos_++;
        const std::string_view name = s_.substr(start, pos_ - start);
        if (!cpu_) {
            err_ = "No CPU available";
            return 0;
        }
        const x86::CpuState& c = *cpu_;
        for (const RegName& r : kRegs)
            if (name == r.name) return c.gpr[r.gpr];
        if (name == "pc") return c.seg[x86::CS].base + c.rip;  // QEMU monitor_get_pc()
        if (name == "rip" || name == "eip") return c.rip;
        if (name == "eflags") return x86::read_rflags(c);
        if (name == "cr0") return c.cr0;
        if (name == "cr2") return c.cr2;
        if (name == "cr3") return c.cr3;
        if (name == "cr4") return c.cr4;
        static constexpr const char* kSegs[6] = {"es", "cs", "ss", "ds", "fs", "gs"};
        for (unsigned i = 0; i < 6; i++)
            if (name == kSegs[i]) return c.seg[i].sel;
        err_ = "unknown register";
        return 0;
    }

    std::string_view s_;
    size_t pos_ = 0;
    const x86::CpuState* cpu_;
    std::string err_;
};

}  // namespace

std::optional<u64> eval_monitor_expr(std::string_view text, const x86::CpuState* cpu, std::string& err) {
    return Parser(text, cpu).run(err);
}

}  // namespace vireo
