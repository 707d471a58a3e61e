// GDB remote serial protocol stub (gdbstub.h). Packet syntax and semantics: the GDB manual,
// appendix E "GDB Remote Serial Protocol"; register features: appendix G "Target Descriptions"
// (G.5.12 i386 Features).
#include "softmmu/gdbstub.h"

#include <cstdio>
#include <cstring>
#include <vector>
#include "frontend-x86/control_regs.h"
#include "frontend-x86/flags.h"
#include "frontend-x86/paging.h"
#include "softmmu/debug_memory.h"
#include "softmmu/machine.h"
#include "softmmu/monitor.h"

namespace vireo {

using namespace vireo::x86;

namespace {

// ---- Register layout: one table drives target.xml and g/G/p/P ----

enum Feature : u8 { F_CORE, F_SSE, F_SEGMENTS, F_AVX, F_SYS, F_COUNT };
const char* const kFeatureNames[F_COUNT] = {"org.gnu.gdb.i386.core", "org.gnu.gdb.i386.sse",
                                            "org.gnu.gdb.i386.segments", "org.gnu.gdb.i386.avx",
                                            "org.vireo.gdb.i386.sys"};

enum RegKind : u8 { R_GPR, R_RIP, R_EFLAGS, R_SEG, R_ST, R_FPU, R_XMM, R_MXCSR, R_SEGBASE, R_YMMH, R_SYS };

struct RegDesc {
    std::string name;
    unsigned bits;
    std::string type;
    const char* group;  // nullptr: default
    Feature feature;
    RegKind kind;
    unsigned index;  // within the kind
};

const std::vector<RegDesc>& registers() {
    static const std::vector<RegDesc> regs = [] {
        std::vector<RegDesc> r;
        // gdb's amd64 order (64bit-core.xml): rax rbx rcx rdx rsi rdi rbp rsp r8..r15.
        static const char* const gpr_names[16] = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
                                                  "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"};
        static const unsigned gpr_index[16] = {RAX, RBX, RCX, RDX, RSI, RDI, RBP, RSP,
                                               R8, R9, R10, R11, R12, R13, R14, R15};
        for (unsigned i = 0; i < 16; i++) {
            const char* type = gpr_index[i] == RSP || gpr_index[i] == RBP ? "data_ptr" : "int64";
            r.push_back({gpr_names[i], 64, type, nullptr, F_CORE, R_GPR, gpr_index[i]});
        }
        r.push_back({"rip", 64, "code_ptr", nullptr, F_CORE, R_RIP, 0});
        r.push_back({"eflags", 32, "i386_eflags", nullptr, F_CORE, R_EFLAGS, 0});
        static const char* const seg_names[6] = {"cs", "ss", "ds", "es", "fs", "gs"};
        static const unsigned seg_index[6] = {CS, SS, DS, ES, FS, GS};
        for (unsigned i = 0; i < 6; i++) r.push_back({seg_names[i], 32, "int32", nullptr, F_CORE, R_SEG, seg_index[i]});
        for (unsigned i = 0; i < 8; i++)
            r.push_back({"st" + std::to_string(i), 80, "i387_ext", nullptr, F_CORE, R_ST, i});
        static const char* const fpu_names[8] = {"fctrl", "fstat", "ftag", "fiseg", "fioff", "foseg", "fooff", "fop"};
        for (unsigned i = 0; i < 8; i++) r.push_back({fpu_names[i], 32, "int", "float", F_CORE, R_FPU, i});
        for (unsigned i = 0; i < 16; i++)
            r.push_back({"xmm" + std::to_string(i), 128, "vec128", nullptr, F_SSE, R_XMM, i});
        r.push_back({"mxcsr", 32, "i386_mxcsr", "vector", F_SSE, R_MXCSR, 0});
        r.push_back({"fs_base", 64, "int", nullptr, F_SEGMENTS, R_SEGBASE, FS});
        r.push_back({"gs_base", 64, "int", nullptr, F_SEGMENTS, R_SEGBASE, GS});
        for (unsigned i = 0; i < 16; i++)
            r.push_back({"ymm" + std::to_string(i) + "h", 128, "uint128", nullptr, F_AVX, R_YMMH, i});
        static const char* const sys_names[7] = {"k_gs_base", "cr0", "cr2", "cr3", "cr4", "cr8", "efer"};
        for (unsigned i = 0; i < 7; i++) r.push_back({sys_names[i], 64, "int64", "system", F_SYS, R_SYS, i});
        return r;
    }();
    return regs;
}

std::string flags_type(const char* id, std::initializer_list<std::pair<const char*, unsigned>> fields) {
    std::string s = std::string("<flags id=\"") + id + "\" size=\"4\">";
    for (auto& [n, bit] : fields)
        s += std::string("<field name=\"") + n + "\" start=\"" + std::to_string(bit) + "\" end=\"" +
             std::to_string(bit) + "\"/>";
    return s + "</flags>\n";
}

const std::string& target_xml() {
    static const std::string xml = [] {
        std::string types[F_COUNT];
        types[F_CORE] = flags_type("i386_eflags", {{"CF", 0}, {"", 1}, {"PF", 2}, {"AF", 4}, {"ZF", 6}, {"SF", 7},
                                                   {"TF", 8}, {"IF", 9}, {"DF", 10}, {"OF", 11}, {"NT", 14},
                                                   {"RF", 16}, {"VM", 17}, {"AC", 18}, {"VIF", 19}, {"VIP", 20},
                                                   {"ID", 21}});
        types[F_SSE] =
            "<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>\n"
            "<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>\n"
            "<vector id=\"v16i8\" type=\"int8\" count=\"16\"/>\n"
            "<vector id=\"v8i16\" type=\"int16\" count=\"8\"/>\n"
            "<vector id=\"v4i32\" type=\"int32\" count=\"4\"/>\n"
            "<vector id=\"v2i64\" type=\"int64\" count=\"2\"/>\n"
            "<union id=\"vec128\"><field name=\"v4_float\" type=\"v4f\"/><field name=\"v2_double\" type=\"v2d\"/>"
            "<field name=\"v16_int8\" type=\"v16i8\"/><field name=\"v8_int16\" type=\"v8i16\"/>"
            "<field name=\"v4_int32\" type=\"v4i32\"/><field name=\"v2_int64\" type=\"v2i64\"/>"
            "<field name=\"uint128\" type=\"uint128\"/></union>\n" +
            flags_type("i386_mxcsr", {{"IE", 0}, {"DE", 1}, {"ZE", 2}, {"OE", 3}, {"UE", 4}, {"PE", 5}, {"DAZ", 6},
                                      {"IM", 7}, {"DM", 8}, {"ZM", 9}, {"OM", 10}, {"UM", 11}, {"PM", 12},
                                      {"FZ", 15}});
        std::string s =
            "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
            "<target version=\"1.0\">\n<architecture>i386:x86-64</architecture>\n";
        const auto& regs = registers();
        for (unsigned f = 0; f < F_COUNT; f++) {
            s += std::string("<feature name=\"") + kFeatureNames[f] + "\">\n" + types[f];
            for (size_t n = 0; n < regs.size(); n++) {
                const RegDesc& r = regs[n];
                if (r.feature != f) continue;
                s += "<reg name=\"" + r.name + "\" bitsize=\"" + std::to_string(r.bits) + "\" type=\"" + r.type +
                     "\" regnum=\"" + std::to_string(n) + "\"";
                if (r.group) s += std::string(" group=\"") + r.group + "\"";
                s += "/>\n";
            }
            s += "</feature>\n";
        }
        return s + "</target>\n";
    }();
    return xml;
}

// ---- hex helpers ----

const char kHex[] = "0123456789abcdef";

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void append_hex(std::string& out, const u8* p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        out += kHex[p[i] >> 4];
        out += kHex[p[i] & 15];
    }
}

std::string to_hex(std::string_view s) {
    std::string out;
    append_hex(out, reinterpret_cast<const u8*>(s.data()), s.size());
    return out;
}

bool from_hex(std::string_view s, std::vector<u8>& out) {
    if (s.size() & 1) return false;
    out.clear();
    for (size_t i = 0; i < s.size(); i += 2) {
        const int h = hex_digit(s[i]), l = hex_digit(s[i + 1]);
        if (h < 0 || l < 0) return false;
        out.push_back(static_cast<u8>(h << 4 | l));
    }
    return true;
}

// A hex number (at most 16 digits) at the front of s; consumes it. False if none.
bool take_hex(std::string_view& s, u64& v) {
    size_t i = 0;
    v = 0;
    while (i < s.size() && hex_digit(s[i]) >= 0) {
        if (i == 16) return false;
        v = v << 4 | static_cast<u64>(hex_digit(s[i]));
        i++;
    }
    if (i == 0) return false;
    s.remove_prefix(i);
    return true;
}

bool take_char(std::string_view& s, char c) {
    if (s.empty() || s[0] != c) return false;
    s.remove_prefix(1);
    return true;
}

// A thread id: hex, "-1" (all) or "0" (any). No multiprocess ids (not advertised).
bool take_thread(std::string_view& s, long& tid) {
    if (s.size() >= 2 && s[0] == '-' && s[1] == '1') {
        s.remove_prefix(2);
        tid = -1;
        return true;
    }
    u64 v;
    if (!take_hex(s, v) || v > 0xffff) return false;
    tid = static_cast<long>(v);
    return true;
}

constexpr const char* kErr = "E22";  // EINVAL, as QEMU answers malformed packets

// ---- register access ----

u16 x87_full_tag(const X87State& x) {
    u16 tag = 0;
    for (unsigned i = 0; i < 8; i++) {
        unsigned t = 3;  // empty
        if (x.ftw & (1u << i)) {
            const u8* r = x.r[i];
            u64 mant;
            std::memcpy(&mant, r, 8);
            const unsigned exp = (r[8] | r[9] << 8) & 0x7fff;
            if (exp == 0x7fff) t = 2;
            else if (exp == 0) t = mant ? 2 : 1;
            else t = (mant >> 63) ? 0 : 2;
        }
        tag |= static_cast<u16>(t << (2 * i));
    }
    return tag;
}

u64 linear_pc(const CpuState& c) { return c.long64 ? c.rip : static_cast<u32>(c.seg[CS].base + c.rip); }

void read_reg(const CpuState& c, const RegDesc& r, std::string& out) {
    u8 b[32] = {};
    u64 v = 0;
    const unsigned bytes = r.bits / 8;
    switch (r.kind) {
    case R_GPR: v = c.gpr[r.index]; break;
    case R_RIP: v = linear_pc(c); break;
    case R_EFLAGS: v = read_rflags(c); break;
    case R_SEG: v = c.seg[r.index].sel; break;
    case R_ST: std::memcpy(b, c.x87.r[((c.x87.fsw >> 11) + r.index) & 7], 10); break;
    case R_FPU: {
        const X87State& x = c.x87;
        const u64 vals[8] = {x.fcw, x.fsw, x87_full_tag(x), x.fcs, x.fip, x.fds, x.fdp, x.fop};
        v = vals[r.index];
        break;
    }
    case R_XMM: std::memcpy(b, c.xmm[r.index].b, 16); break;
    case R_MXCSR: v = c.mxcsr; break;
    case R_SEGBASE: v = c.seg[r.index].base; break;
    case R_YMMH: std::memcpy(b, c.xmm[r.index].b + 16, 16); break;
    case R_SYS: {
        const u64 vals[7] = {c.kernel_gs_base, c.cr0, c.cr2, c.cr3, c.cr4, c.cr8, c.efer};
        v = vals[r.index];
        break;
    }
    }
    if (r.kind != R_ST && r.kind != R_XMM && r.kind != R_YMMH)
        for (unsigned i = 0; i < 8; i++) b[i] = static_cast<u8>(v >> (8 * i));
    append_hex(out, b, bytes);
}

// Writes register r from its target-order bytes. System-register writes take effect directly
// (a debugger may set what the guest could not), then the derived mode and the TLB follow.
void write_reg(CpuState& c, const RegDesc& r, const u8* b) {
    u64 v = 0;
    for (unsigned i = 0; i < r.bits / 8 && i < 8; i++) v |= static_cast<u64>(b[i]) << (8 * i);
    bool mode = false;
    switch (r.kind) {
    case R_GPR: c.gpr[r.index] = v; break;
    case R_RIP:
        if (c.long64) c.rip = v;
        else {
            const u64 ip = v - c.seg[CS].base;
            c.rip = c.code_size == 32 ? static_cast<u32>(ip) : static_cast<u16>(ip);
        }
        break;
    case R_EFLAGS:
        write_rflags_raw(c, v);
        mode = true;
        break;
    case R_SEG: {
        Segment& s = c.seg[r.index];
        s.sel = static_cast<u16>(v);
        if (!c.pe || c.vm86) s.base = static_cast<u64>(s.sel) << 4;
        mode = true;
        break;
    }
    case R_ST: std::memcpy(c.x87.r[((c.x87.fsw >> 11) + r.index) & 7], b, 10); break;
    case R_FPU: {
        X87State& x = c.x87;
        switch (r.index) {
        case 0: x.fcw = static_cast<u16>(v); break;
        case 1: x.fsw = static_cast<u16>(v); break;
        case 2:
            x.ftw = 0;
            for (unsigned i = 0; i < 8; i++)
                if (((v >> (2 * i)) & 3) != 3) x.ftw |= static_cast<u8>(1u << i);
            break;
        case 3: x.fcs = static_cast<u16>(v); break;
        case 4: x.fip = v; break;
        case 5: x.fds = static_cast<u16>(v); break;
        case 6: x.fdp = v; break;
        case 7: x.fop = static_cast<u16>(v & 0x7ff); break;
        }
        break;
    }
    case R_XMM: std::memcpy(c.xmm[r.index].b, b, 16); break;
    case R_MXCSR: c.mxcsr = static_cast<u32>(v) & kMxcsrMask; break;
    case R_SEGBASE: c.seg[r.index].base = v; break;
    case R_YMMH: std::memcpy(c.xmm[r.index].b + 16, b, 16); break;
    case R_SYS:
        switch (r.index) {
        case 0: c.kernel_gs_base = v; break;
        case 1: c.cr0 = v; break;
        case 2: c.cr2 = v; break;
        case 3: c.cr3 = v; break;
        case 4: c.cr4 = v; break;
        case 5: c.cr8 = v & 15; break;
        case 6: c.efer = v; break;
        }
        mode = r.index != 2 && r.index != 5 && r.index != 0;
        break;
    }
    if (mode) {
        update_mode(c);
        tlb_flush_all(c);
    }
}

}  // namespace

// ---- the stub ----

GdbStub::GdbStub(Machine& m, Chardev* chr) : m_(m), chr_(chr) {
    chr_->on_input = [this](const u8* d, size_t n) { input(d, n); };
    chr_->can_receive = nullptr;
    chr_->on_event = [this](ChardevEvent e) { on_event(e); };
    // The monitor behind qRcmd writes to a null chardev; execute() returns its output.
    Chardev* null = m.add_chardev(chardev_from_shorthand("null", "-gdb", "gdb-monitor"));
    monitor_ = std::make_unique<Monitor>(m, null);
    m.add_run_listener([this](const Machine::RunChange& c) {
        if (c.event == Machine::RunEvent::Stop) on_run_change(true);
    });
    if (chr_->is_open()) on_event(ChardevEvent::Opened);
}

GdbStub::~GdbStub() = default;

unsigned GdbStub::cpu_count() const { return static_cast<unsigned>(m_.cpus().size()); }

bool GdbStub::thread_cpu(long tid, unsigned& cpu) const {
    if (tid <= 0) return true;  // any / all: keep the current one
    if (static_cast<unsigned long>(tid) > cpu_count()) return false;
    cpu = static_cast<unsigned>(tid - 1);
    return true;
}

void GdbStub::on_event(ChardevEvent e) {
    if (e == ChardevEvent::Opened) {
        // As QEMU: a client attaching stops the machine; it asks '?' next.
        connected_ = attached_ = true;
        no_ack_ = false;
        waiting_ = false;
        state_ = State::Idle;
        buf_.clear();
        last_sent_.clear();
        g_cpu_ = c_cpu_ = 0;
        m_.pause("debug");
    } else if (e == ChardevEvent::Closed) {
        // A client that went away (also mid-packet) detaches.
        if (attached_) detach();
        connected_ = attached_ = false;
        state_ = State::Idle;
        buf_.clear();
    }
}

void GdbStub::on_run_change(bool stopped) {
    if (!stopped || !connected_ || !waiting_) return;
    waiting_ = false;
    unsigned cpu = c_cpu_;
    int sig = 2;  // SIGINT: stop, Ctrl-C
    if (std::string_view(m_.run_state()) == "debug") {
        sig = 5;  // SIGTRAP
        cpu = m_.last_debug_stop().cpu;
    }
    g_cpu_ = c_cpu_ = cpu;
    send_packet(stop_reply(sig, cpu));
}

std::string GdbStub::stop_reply(int signal, unsigned cpu) const {
    char buf[96];
    std::snprintf(buf, sizeof buf, "T%02xthread:%02x;", signal, cpu + 1);
    std::string s = buf;
    const Machine::DebugStop& d = m_.last_debug_stop();
    if (signal == 5 && d.kind == Machine::DebugStop::Watchpoint && d.cpu == cpu) {
        const char* what = d.watch == Machine::WatchKind::Write ? "watch" : d.watch == Machine::WatchKind::Read ? "rwatch" : "awatch";
        std::snprintf(buf, sizeof buf, "%s:%llx;", what, static_cast<unsigned long long>(d.addr));
        s += buf;
    }
    return s;
}

void GdbStub::send_raw(std::string_view s) { chr_->write(s); }

void GdbStub::send_packet(const std::string& payload) {
    u8 sum = 0;
    for (char ch : payload) sum = static_cast<u8>(sum + static_cast<u8>(ch));
    std::string pkt;
    pkt.reserve(payload.size() + 4);
    pkt += '$';
    pkt += payload;
    pkt += '#';
    pkt += kHex[sum >> 4];
    pkt += kHex[sum & 15];
    last_sent_ = pkt;
    send_raw(pkt);
}

void GdbStub::input(const u8* data, size_t len) {
    for (size_t i = 0; i < len; i++) {
        const char ch = static_cast<char>(data[i]);
        switch (state_) {
        case State::Idle:
            if (ch == '$') {
                state_ = State::Data;
                buf_.clear();
                oversized_ = false;
                csum_ = 0;
            } else if (ch == 0x03) {
                // Ctrl-C: interrupt a running target (a stopped one ignores it).
                if (waiting_) m_.pause("paused");
            } else if (ch == '-' && !no_ack_ && !last_sent_.empty()) {
                send_raw(last_sent_);  // the client asks for a retransmission
            }
            // '+' and anything else outside a packet is ignored.
            break;
        case State::Data:
            if (ch == '#') {
                state_ = State::Csum1;
            } else if (ch == '$') {  // a new packet inside one: drop the unfinished one
                buf_.clear();
                oversized_ = false;
                csum_ = 0;
            } else {
                csum_ = static_cast<u8>(csum_ + static_cast<u8>(ch));
                if (buf_.size() < kMaxPacket) buf_ += ch;
                else oversized_ = true;
            }
            break;
        case State::Csum1:
        case State::Csum2: {
            const int d = hex_digit(ch);
            if (state_ == State::Csum1) {
                csum_bad_digit_ = d < 0;
                rx_csum_ = static_cast<u8>((d < 0 ? 0 : d) << 4);
                state_ = State::Csum2;
                break;
            }
            csum_bad_digit_ |= d < 0;
            rx_csum_ = static_cast<u8>(rx_csum_ | (d < 0 ? 0 : d));
            state_ = State::Idle;
            if (csum_bad_digit_ || rx_csum_ != csum_) {
                if (!no_ack_) send_raw("-");
                break;
            }
            if (!no_ack_) send_raw("+");
            if (oversized_) {
                send_packet("E01");
                break;
            }
            std::string p;
            p.swap(buf_);
            handle_packet(p);
            if (!connected_ && !chr_->is_open()) return;
            break;
        }
        }
    }
}

bool GdbStub::memory_rw(u64 lin, u8* buf, size_t len, bool write) {
    return debug_memory_rw(m_, *m_.cpus()[g_cpu_].state, lin, buf, len, write);
}

std::string GdbStub::step(unsigned cpu, bool set_pc, u64 pc) {
    CpuState& c = *m_.cpus()[cpu].state;
    if (set_pc) write_reg(c, registers()[16], reinterpret_cast<const u8*>(&pc));
    g_cpu_ = c_cpu_ = cpu;
    const Machine::DebugStop d = m_.step_cpu(cpu, !(sstep_flags_ & 2));
    (void)d;
    std::string r = stop_reply(5, cpu);
    if (d.kind == Machine::DebugStop::Watchpoint) {
        char buf[64];
        const char* what = d.watch == Machine::WatchKind::Write ? "watch" : d.watch == Machine::WatchKind::Read ? "rwatch" : "awatch";
        std::snprintf(buf, sizeof buf, "%s:%llx;", what, static_cast<unsigned long long>(d.addr));
        r += buf;
    }
    return r;
}

void GdbStub::cont() {
    waiting_ = true;
    if (m_.paused()) m_.resume();
}

void GdbStub::detach() {
    m_.clear_debug_points();
    waiting_ = false;
    // Resume what a debugger stopped (attach, breakpoint, Ctrl-C); a -S or monitor stop stays.
    const std::string_view st = m_.run_state();
    if (m_.paused() && (st == "debug" || st == "paused")) m_.resume();
}

std::string GdbStub::handle_vcont(const std::string& p) {
    // vCont;ACTION[:TID];... (all-stop): a step action steps its thread alone (the others stay
    // stopped, a simplification of "others continue"); otherwise everything continues.
    std::string_view s(p);
    s.remove_prefix(5);
    bool any_cont = false;
    bool have_step = false;
    unsigned step_cpu = c_cpu_;
    while (!s.empty()) {
        if (!take_char(s, ';')) return kErr;
        if (s.empty()) return kErr;
        const char a = s[0];
        s.remove_prefix(1);
        if (a == 'C' || a == 'S') {  // with a signal number: the signal is ignored
            u64 sig;
            if (!take_hex(s, sig)) return kErr;
        } else if (a != 'c' && a != 's') {
            return kErr;  // 't', 'r': not advertised
        }
        long tid = -1;
        if (take_char(s, ':') && !take_thread(s, tid)) return kErr;
        unsigned cpu = c_cpu_;
        if (!thread_cpu(tid, cpu)) return kErr;
        if ((a == 's' || a == 'S') && !have_step) {
            have_step = true;
            step_cpu = cpu;
        } else if (a == 'c' || a == 'C') {
            any_cont = true;
        }
    }
    if (have_step) return step(step_cpu, false, 0);
    if (!any_cont) return kErr;
    cont();
    return {};  // the stop reply comes when the machine stops
}

std::string GdbStub::handle_query(const std::string& p) {
    auto starts = [&](const char* pre) { return p.compare(0, std::strlen(pre), pre) == 0; };
    if (starts("qSupported"))
        return "PacketSize=" + std::to_string(kMaxPacket) + ";qXfer:features:read+;QStartNoAckMode+;vContSupported+";
    if (p == "QStartNoAckMode") {
        send_packet("OK");
        no_ack_ = true;
        return "\x01";  // already answered
    }
    if (starts("qXfer:features:read:")) {
        std::string_view s(p);
        s.remove_prefix(std::strlen("qXfer:features:read:"));
        const size_t colon = s.find(':');
        if (colon == std::string_view::npos) return kErr;
        if (s.substr(0, colon) != "target.xml") return "E00";
        s.remove_prefix(colon + 1);
        u64 off, len;
        if (!take_hex(s, off) || !take_char(s, ',') || !take_hex(s, len) || !s.empty()) return kErr;
        const std::string& xml = target_xml();
        if (off > xml.size()) return kErr;
        len = std::min<u64>(len, kMaxPacket / 2);
        const std::string part = xml.substr(off, len);
        std::string r(off + part.size() < xml.size() ? "m" : "l");
        for (char ch : part) {  // binary data: escape the protocol's special characters
            if (ch == '$' || ch == '#' || ch == '}' || ch == '*') {
                r += '}';
                r += static_cast<char>(ch ^ 0x20);
            } else {
                r += ch;
            }
        }
        return r;
    }
    if (p == "qC") {
        char buf[16];
        std::snprintf(buf, sizeof buf, "QC%02x", g_cpu_ + 1);
        return buf;
    }
    if (starts("qAttached")) return "1";
    if (p == "qfThreadInfo") {
        std::string r = "m";
        for (unsigned i = 0; i < cpu_count(); i++) {
            char buf[16];
            std::snprintf(buf, sizeof buf, "%s%02x", i ? "," : "", i + 1);
            r += buf;
        }
        return r;
    }
    if (p == "qsThreadInfo") return "l";
    if (starts("qThreadExtraInfo,")) {
        std::string_view s(p);
        s.remove_prefix(std::strlen("qThreadExtraInfo,"));
        long tid;
        unsigned cpu = 0;
        if (!take_thread(s, tid) || tid <= 0 || !thread_cpu(tid, cpu) || !s.empty()) return kErr;
        const CpuState& c = *m_.cpus()[cpu].state;
        char buf[64];
        std::snprintf(buf, sizeof buf, "CPU#%u [%s]", cpu, c.halted ? "halted " : "running");
        return to_hex(buf);
    }
    if (starts("qRcmd,")) {
        std::vector<u8> cmd;
        if (!from_hex(std::string_view(p).substr(6), cmd)) return kErr;
        const std::string out = monitor_->execute(std::string(cmd.begin(), cmd.end()));
        for (size_t i = 0; i < out.size(); i += 1000) send_packet("O" + to_hex(std::string_view(out).substr(i, 1000)));
        return "OK";
    }
    if (p == "qqemu.sstepbits") return "ENABLE=1,NOIRQ=2,NOTIMER=4";
    if (p == "qqemu.sstep") {
        char buf[16];
        std::snprintf(buf, sizeof buf, "0x%x", sstep_flags_);
        return buf;
    }
    if (starts("Qqemu.sstep=")) {
        std::string_view s(p);
        s.remove_prefix(std::strlen("Qqemu.sstep="));
        u64 v;
        if (!take_hex(s, v) || !s.empty() || v > 7) return kErr;
        sstep_flags_ = static_cast<unsigned>(v);
        return "OK";
    }
    return {};  // unknown query: the empty reply
}

void GdbStub::handle_packet(const std::string& p) {
    if (p.empty()) return send_packet("");
    std::string_view s(p);
    const char cmd = s[0];
    s.remove_prefix(1);
    std::string reply;
    CpuState& gc = *m_.cpus()[g_cpu_].state;
    const auto& regs = registers();
    switch (cmd) {
    case '?': {
        waiting_ = false;
        if (!m_.paused()) m_.pause("debug");
        reply = stop_reply(5, g_cpu_);
        break;
    }
    case 'q':
    case 'Q':
        reply = handle_query(p);
        if (reply == "\x01") return;
        break;
    case 'H': {
        if (s.empty() || (s[0] != 'g' && s[0] != 'c')) { reply = kErr; break; }
        const char which = s[0];
        s.remove_prefix(1);
        long tid;
        unsigned cpu = which == 'g' ? g_cpu_ : c_cpu_;
        if (!take_thread(s, tid) || !s.empty() || !thread_cpu(tid, cpu)) { reply = kErr; break; }
        (which == 'g' ? g_cpu_ : c_cpu_) = cpu;
        reply = "OK";
        break;
    }
    case 'T': {
        long tid;
        unsigned cpu = 0;
        reply = take_thread(s, tid) && s.empty() && tid > 0 && thread_cpu(tid, cpu) ? "OK" : kErr;
        break;
    }
    case 'g':
        if (!s.empty()) { reply = kErr; break; }
        for (const RegDesc& r : regs) read_reg(gc, r, reply);
        break;
    case 'G': {
        std::vector<u8> bytes;
        if (!from_hex(s, bytes)) { reply = kErr; break; }
        size_t off = 0;
        for (const RegDesc& r : regs) {
            const size_t n = r.bits / 8;
            if (off + n > bytes.size()) break;  // a shorter packet sets the leading registers
            write_reg(gc, r, bytes.data() + off);
            off += n;
        }
        reply = "OK";
        break;
    }
    case 'p': {
        u64 n;
        if (!take_hex(s, n) || !s.empty() || n >= regs.size()) { reply = kErr; break; }
        read_reg(gc, regs[n], reply);
        break;
    }
    case 'P': {
        u64 n;
        std::vector<u8> bytes;
        if (!take_hex(s, n) || !take_char(s, '=') || n >= regs.size() || !from_hex(s, bytes) ||
            bytes.size() != regs[n].bits / 8) {
            reply = kErr;
            break;
        }
        write_reg(gc, regs[n], bytes.data());
        reply = "OK";
        break;
    }
    case 'm': {
        u64 addr, len;
        if (!take_hex(s, addr) || !take_char(s, ',') || !take_hex(s, len) || !s.empty()) { reply = kErr; break; }
        len = std::min<u64>(len, kMaxPacket / 2);
        std::vector<u8> buf(len);
        if (!memory_rw(addr, buf.data(), len, false)) { reply = "E14"; break; }  // EFAULT
        append_hex(reply, buf.data(), len);
        break;
    }
    case 'M': {
        u64 addr, len;
        std::vector<u8> bytes;
        if (!take_hex(s, addr) || !take_char(s, ',') || !take_hex(s, len) || !take_char(s, ':') ||
            !from_hex(s, bytes) || bytes.size() != len) {
            reply = kErr;
            break;
        }
        reply = memory_rw(addr, bytes.data(), len, true) ? "OK" : "E14";
        break;
    }
    case 'Z':
    case 'z': {
        u64 type, addr, kind;
        if (!take_hex(s, type) || !take_char(s, ',') || !take_hex(s, addr) || !take_char(s, ',') ||
            !take_hex(s, kind) || type > 4) {
            reply = type > 4 ? "" : kErr;
            break;
        }
        // Trailing ";cond_list" (target-side conditions) is not advertised and is ignored.
        const bool insert = cmd == 'Z';
        if (type <= 1) {
            // Software and hardware breakpoints are the same engine breakpoints: guest memory is
            // never patched, so "kind" (the instruction length) does not matter.
            insert ? m_.insert_breakpoint(addr) : m_.remove_breakpoint(addr);
            reply = "OK";
        } else {
            if (kind == 0 || kind > 4096) { reply = kErr; break; }
            const Machine::WatchKind wk = type == 2 ? Machine::WatchKind::Write
                                          : type == 3 ? Machine::WatchKind::Read
                                                      : Machine::WatchKind::Access;
            const bool ok = insert ? m_.insert_watchpoint(addr, kind, wk) : m_.remove_watchpoint(addr, kind, wk);
            reply = ok || insert ? "OK" : kErr;
        }
        break;
    }
    case 'c':
    case 's': {
        u64 addr = 0;
        const bool set_pc = !s.empty();
        if (set_pc && (!take_hex(s, addr) || !s.empty())) { reply = kErr; break; }
        if (cmd == 's') {
            reply = step(c_cpu_, set_pc, addr);
            break;
        }
        if (set_pc) write_reg(*m_.cpus()[c_cpu_].state, regs[16], reinterpret_cast<const u8*>(&addr));
        cont();
        return;  // the stop reply comes when the machine stops
    }
    case 'v':
        if (p == "vCont?") reply = "vCont;c;C;s;S";
        else if (p.compare(0, 6, "vCont;") == 0) {
            reply = handle_vcont(p);
            if (reply.empty()) return;
        } else if (p.compare(0, 5, "vKill") == 0) {
            send_packet("OK");
            std::fprintf(stderr, "vireo: terminated via GDBstub\n");
            m_.request_exit(0);
            return;
        }
        // vMustReplyEmpty and anything else: the empty reply.
        break;
    case 'D':
        send_packet("OK");
        detach();
        attached_ = false;  // the client closes next: nothing more to undo then
        return;
    case 'k':
        std::fprintf(stderr, "vireo: terminated via GDBstub\n");
        m_.request_exit(0);
        return;  // no reply to 'k'
    default:
        break;  // unsupported: the empty reply
    }
    send_packet(reply);
}

void GdbStub::stop() {
    if (attached_) detach();  // as a client that went away: debug points off, a debugger pause resumed
    connected_ = attached_ = waiting_ = false;
    chr_->on_input = nullptr;
    chr_->on_event = nullptr;
    if (owns_chr_) m_.remove_chardev(chr_);  // closes the listening socket and the client
}

GdbStub* start_gdbstub(Machine& m, const std::string& device, const char* option) {
    if (m.gdbstub) {
        m.gdbstub->stop();
        m.gdbstub = nullptr;
    }
    if (device == "none") return nullptr;
    std::string spec = device;
    Chardev* chr;
    bool owns = false;
    if (spec.rfind("chardev:", 0) == 0) {
        chr = m.find_chardev(spec.substr(8));
        if (!chr) throw OptionError(std::string(option) + ": chardev '" + spec.substr(8) + "' not found");
        chr = chr->attach(option);
    } else {
        // QEMU (gdbserver_start): a tcp: or unix: device listens and does not wait for gdb.
        if ((spec.rfind("tcp:", 0) == 0 || spec.rfind("unix:", 0) == 0) && spec.find(",server") == std::string::npos)
            spec += ",server=on,wait=off";
        chr = m.add_chardev(chardev_from_shorthand(spec, option, "gdb"));
        owns = true;
    }
    GdbStub* stub = m.keep(std::make_unique<GdbStub>(m, chr));
    stub->owns_chr_ = owns;
    m.gdbstub = stub;
    return stub;
}

GdbStub* create_gdbstub(Machine& m, const VmConfig& cfg) {
    if (cfg.gdb.empty()) return nullptr;
    return start_gdbstub(m, cfg.gdb, cfg.gdb_option.empty() ? "-gdb" : cfg.gdb_option.c_str());
}

}  // namespace vireo
