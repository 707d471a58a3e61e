// Command-line layer: parsing of the qemu-system-x86_64 7.2 command line (see options.h).
#include "softmmu/options.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

namespace vireo {

namespace {

constexpr uint64_t kMiB = 1ull << 20;

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string quote(std::string_view s) { return "'" + std::string(s) + "'"; }

// "-opt arg: message", the way QEMU prefixes errors with the option being processed.
[[noreturn]] void fail_at(std::string_view where, std::string_view message) {
    throw OptionError(std::string(where) + ": " + std::string(message));
}

// A non-negative integer in C syntax (decimal, 0x hex, leading-0 octal), like QEMU's
// qemu_strtou64(..., base 0) used for QemuOpts numbers. No sign, no blanks, no junk.
bool parse_c_uint(std::string_view s, uint64_t& out) {
    if (s.empty()) return false;
    unsigned base = 10;
    size_t i = 0;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        i = 2;
    } else if (s.size() > 1 && s[0] == '0') {
        base = 8;
        i = 1;
    }
    uint64_t v = 0;
    for (; i < s.size(); ++i) {
        char c = s[i];
        unsigned d;
        if (c >= '0' && c <= '9') d = unsigned(c - '0');
        else if (c >= 'a' && c <= 'f') d = unsigned(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') d = unsigned(c - 'A' + 10);
        else return false;
        if (d >= base) return false;
        if (v > (UINT64_MAX - d) / base) return false;
        v = v * base + d;
    }
    out = v;
    return true;
}

// A signed integer in C syntax (for -boot splash-time / reboot-timeout, QAPI ints).
bool parse_c_int(std::string_view s, int64_t& out) {
    bool neg = !s.empty() && s[0] == '-';
    uint64_t mag;
    if (!parse_c_uint(neg ? s.substr(1) : s, mag)) return false;
    if (neg ? mag > uint64_t(INT64_MAX) + 1 : mag > uint64_t(INT64_MAX)) return false;
    out = neg ? int64_t(0 - mag) : int64_t(mag);
    return true;
}

// QEMU's id_wellformed(): a letter, then letters, digits, '-', '.', '_'.
bool id_wellformed(std::string_view id) {
    if (id.empty() || !std::isalpha(static_cast<unsigned char>(id[0]))) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
    });
}

constexpr std::string_view kBadIdMessage =
    "Parameter 'id' expects an identifier (letters, digits, '-', '.', '_', starting with a letter)";

// Reads a QemuOpts/keyval value starting at `pos`: up to the next single ',' with ",," meaning
// one literal ','. Returns the position just past the terminating ',' (or the end).
size_t read_value(std::string_view text, size_t pos, std::string& out) {
    while (pos < text.size()) {
        char c = text[pos];
        if (c == ',') {
            if (pos + 1 < text.size() && text[pos + 1] == ',') {
                out += ',';
                pos += 2;
                continue;
            }
            return pos + 1;
        }
        out += c;
        ++pos;
    }
    return pos;
}

bool is_help_word(std::string_view s) { return s == "help" || s == "?"; }

// keyval (util/keyval.c): a key is '.'-separated fragments; each fragment is a name starting
// with a letter (then letters, digits, '-', '_') or consists only of digits (list indices).
bool keyval_key_ok(std::string_view key) {
    size_t start = 0;
    while (true) {
        size_t dot = key.find('.', start);
        std::string_view frag = key.substr(start, dot == std::string_view::npos ? key.npos : dot - start);
        if (frag.empty()) return false;
        bool digits = std::all_of(frag.begin(), frag.end(), [](char c) { return c >= '0' && c <= '9'; });
        bool name = std::isalpha(static_cast<unsigned char>(frag[0])) &&
                    std::all_of(frag.begin(), frag.end(), [](char c) {
                        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
                    });
        if (!digits && !name) return false;
        if (dot == std::string_view::npos) return true;
        start = dot + 1;
    }
}

// keyval: a key may not be both a scalar and the prefix of other keys ("smp=2,smp.cpus=2").
void check_keyval_nesting(const KeyValues& kv) {
    for (const KeyValue& a : kv.entries())
        for (const KeyValue& b : kv.entries())
            if (b.key.size() > a.key.size() && starts_with(b.key, a.key) && b.key[a.key.size()] == '.')
                throw OptionError("Parameters '" + a.key + ".*' used inconsistently");
}

enum class SizeStatus { Ok, Invalid, OutOfRange };

int suffix_shift(char c) {
    switch (std::toupper(static_cast<unsigned char>(c))) {
    case 'B': return 0;
    case 'K': return 10;
    case 'M': return 20;
    case 'G': return 30;
    case 'T': return 40;
    case 'P': return 50;
    case 'E': return 60;
    default: return -1;
    }
}

// The rules of QEMU's qemu_strtosz() (docs: "Optional suffix k, M, G, T, P or E means kilo-,
// mega-, giga-, tera-, peta- and exabytes"), computed exactly instead of through a double.
SizeStatus scan_size(std::string_view s, char default_suffix, uint64_t& out) {
    if (s.empty()) return SizeStatus::Invalid;
    if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        // Hexadecimal: no fraction and no suffix (QEMU 7.2 still accepts a suffix with a
        // deprecation warning; later versions reject it, and so do we).
        std::string_view digits = s.substr(2);
        if (digits.empty()) return SizeStatus::Invalid;
        uint64_t v = 0;
        bool overflow = false;
        for (char c : digits) {
            if (!std::isxdigit(static_cast<unsigned char>(c))) return SizeStatus::Invalid;
            unsigned d = std::isdigit(static_cast<unsigned char>(c)) ? unsigned(c - '0')
                                                                     : unsigned(std::tolower(c) - 'a' + 10);
            if (v > (UINT64_MAX - d) / 16) overflow = true;
            v = v * 16 + d;
        }
        if (overflow) return SizeStatus::OutOfRange;
        out = v;
        return SizeStatus::Ok;
    }
    size_t i = 0;
    unsigned __int128 whole = 0;
    bool overflow = false;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
        whole = whole * 10 + unsigned(s[i] - '0');
        if (whole > UINT64_MAX) overflow = true, whole = UINT64_MAX;
        ++i;
    }
    if (i == 0) return SizeStatus::Invalid;  // no digits, or a sign
    uint64_t frac_num = 0, frac_den = 1;     // the fraction, as frac_num / frac_den
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
            if (frac_den < 1000000000000000000ull) {  // 18 digits are plenty; ignore the rest
                frac_num = frac_num * 10 + unsigned(s[i] - '0');
                frac_den *= 10;
            }
            ++i;
        }
    }
    int shift = -1;
    if (i < s.size()) {
        shift = suffix_shift(s[i]);
        if (shift < 0) return SizeStatus::Invalid;
        ++i;
    } else {
        shift = suffix_shift(default_suffix);
    }
    if (i != s.size() || shift < 0) return SizeStatus::Invalid;
    if (shift == 0 && frac_num != 0) return SizeStatus::Invalid;  // a fraction needs a multiplier
    if (overflow) return SizeStatus::OutOfRange;
    unsigned __int128 mul = (unsigned __int128)1 << shift;
    unsigned __int128 v = whole * mul;
    // frac * mul, rounded half up, as QEMU rounds 0.5 upward.
    unsigned __int128 twice = (unsigned __int128)(frac_num) * mul * 2 / frac_den;
    v += (twice + 1) / 2;
    if (v > UINT64_MAX) return SizeStatus::OutOfRange;
    out = uint64_t(v);
    return SizeStatus::Ok;
}

constexpr std::string_view kSizeHint =
    "(optional suffix k, M, G, T, P or E means kilo-, mega-, giga-, tera-, peta- and exabytes)";

// Option table: every option qemu-system-x86_64 7.2 accepts, with whether it takes an argument.
enum class Opt {
    Machine, Cpu, Memory, Smp, Kernel, Initrd, Append, Serial, Chardev, Device, Global,
    NoDefaults, NoGraphic, Display, NoReboot, NoShutdown, LogItems, LogFile, Accel, Paused,
    GdbDefault, Gdb, Monitor, Qmp, QmpPretty, Mon, Bios, DataDir, Name, Boot, Drive, Hda,
    Cdrom, Nic, Netdev, Vga, Vnc, EnableKvm, Version, Help, Debugcon, Icount, Rtc, NoHpet,
    Unmodelled,   // valid in QEMU, not modelled by Vireo: kept for reject_unsupported()
    OtherTarget,  // valid in QEMU, but not for x86 ("Option not supported for this target")
};

struct OptionSpec {
    std::string_view name;
    bool has_arg;
    Opt id;
};

constexpr OptionSpec kOptions[] = {
    // Modelled options.
    {"machine", true, Opt::Machine}, {"M", true, Opt::Machine}, {"cpu", true, Opt::Cpu},
    {"m", true, Opt::Memory}, {"smp", true, Opt::Smp}, {"kernel", true, Opt::Kernel},
    {"initrd", true, Opt::Initrd}, {"append", true, Opt::Append}, {"serial", true, Opt::Serial},
    {"chardev", true, Opt::Chardev}, {"device", true, Opt::Device}, {"global", true, Opt::Global},
    {"nodefaults", false, Opt::NoDefaults}, {"nographic", false, Opt::NoGraphic},
    {"display", true, Opt::Display}, {"no-reboot", false, Opt::NoReboot},
    {"no-shutdown", false, Opt::NoShutdown}, {"d", true, Opt::LogItems}, {"D", true, Opt::LogFile},
    {"accel", true, Opt::Accel}, {"S", false, Opt::Paused}, {"s", false, Opt::GdbDefault},
    {"gdb", true, Opt::Gdb}, {"monitor", true, Opt::Monitor}, {"qmp", true, Opt::Qmp},
    {"qmp-pretty", true, Opt::QmpPretty}, {"mon", true, Opt::Mon}, {"bios", true, Opt::Bios},
    {"L", true, Opt::DataDir}, {"name", true, Opt::Name}, {"boot", true, Opt::Boot},
    {"drive", true, Opt::Drive}, {"hda", true, Opt::Hda}, {"cdrom", true, Opt::Cdrom},
    {"nic", true, Opt::Nic}, {"netdev", true, Opt::Netdev}, {"vga", true, Opt::Vga},
    {"vnc", true, Opt::Vnc}, {"enable-kvm", false, Opt::EnableKvm},
    {"version", false, Opt::Version}, {"h", false, Opt::Help}, {"help", false, Opt::Help},
    {"debugcon", true, Opt::Debugcon}, {"icount", true, Opt::Icount}, {"rtc", true, Opt::Rtc},
    {"no-hpet", false, Opt::NoHpet},
    // Valid QEMU 7.2 options Vireo does not model (arity as QEMU parses them).
    {"acpitable", true, Opt::Unmodelled}, {"action", true, Opt::Unmodelled},
    {"add-fd", true, Opt::Unmodelled}, {"audio", true, Opt::Unmodelled},
    {"audiodev", true, Opt::Unmodelled}, {"blockdev", true, Opt::Unmodelled},
    {"chroot", true, Opt::Unmodelled}, {"compat", true, Opt::Unmodelled},
    {"dfilter", true, Opt::Unmodelled}, {"dtb", true, Opt::Unmodelled},
    {"dump-vmstate", true, Opt::Unmodelled}, {"echr", true, Opt::Unmodelled},
    {"fda", true, Opt::Unmodelled}, {"fdb", true, Opt::Unmodelled},
    {"fsdev", true, Opt::Unmodelled}, {"fw_cfg", true, Opt::Unmodelled},
    {"hdb", true, Opt::Unmodelled}, {"hdc", true, Opt::Unmodelled}, {"hdd", true, Opt::Unmodelled},
    {"incoming", true, Opt::Unmodelled}, {"iscsi", true, Opt::Unmodelled},
    {"k", true, Opt::Unmodelled}, {"loadvm", true, Opt::Unmodelled},
    {"mem-path", true, Opt::Unmodelled}, {"msg", true, Opt::Unmodelled},
    {"mtdblock", true, Opt::Unmodelled}, {"net", true, Opt::Unmodelled},
    {"numa", true, Opt::Unmodelled}, {"object", true, Opt::Unmodelled},
    {"option-rom", true, Opt::Unmodelled}, {"overcommit", true, Opt::Unmodelled},
    {"parallel", true, Opt::Unmodelled}, {"pflash", true, Opt::Unmodelled},
    {"pidfile", true, Opt::Unmodelled}, {"plugin", true, Opt::Unmodelled},
    {"qtest", true, Opt::Unmodelled}, {"qtest-log", true, Opt::Unmodelled},
    {"readconfig", true, Opt::Unmodelled}, {"rotate", true, Opt::Unmodelled},
    {"runas", true, Opt::Unmodelled}, {"sandbox", true, Opt::Unmodelled},
    {"sd", true, Opt::Unmodelled}, {"seed", true, Opt::Unmodelled}, {"set", true, Opt::Unmodelled},
    {"smbios", true, Opt::Unmodelled}, {"spice", true, Opt::Unmodelled},
    {"tpmdev", true, Opt::Unmodelled}, {"trace", true, Opt::Unmodelled},
    {"usbdevice", true, Opt::Unmodelled}, {"uuid", true, Opt::Unmodelled},
    {"virtfs", true, Opt::Unmodelled}, {"watchdog-action", true, Opt::Unmodelled},
    {"async-teardown", false, Opt::Unmodelled}, {"audio-help", false, Opt::Unmodelled},
    {"daemonize", false, Opt::Unmodelled}, {"enable-sync-profile", false, Opt::Unmodelled},
    {"full-screen", false, Opt::Unmodelled}, {"mem-prealloc", false, Opt::Unmodelled},
    {"no-acpi", false, Opt::Unmodelled}, {"no-fd-bootchk", false, Opt::Unmodelled},
    {"no-user-config", false, Opt::Unmodelled}, {"only-migratable", false, Opt::Unmodelled},
    {"portrait", false, Opt::Unmodelled}, {"preconfig", false, Opt::Unmodelled},
    {"singlestep", false, Opt::Unmodelled}, {"snapshot", false, Opt::Unmodelled},
    {"usb", false, Opt::Unmodelled}, {"win2k-hack", false, Opt::Unmodelled},
    // In QEMU's table but refused by qemu-system-x86_64.
    {"g", true, Opt::OtherTarget}, {"prom-env", true, Opt::OtherTarget},
    {"semihosting", false, Opt::OtherTarget}, {"semihosting-config", true, Opt::OtherTarget},
    {"old-param", false, Opt::OtherTarget}, {"xen-attach", false, Opt::OtherTarget},
    {"xen-domid", true, Opt::OtherTarget}, {"xen-domid-restrict", false, Opt::OtherTarget},
};

// QEMU's lookup_opt(): "-opt" and "--opt" (exactly one extra dash is dropped), exact names.
const OptionSpec* find_option(std::string_view arg) {
    std::string_view name = arg.substr(1);
    if (!name.empty() && name[0] == '-') name.remove_prefix(1);
    for (const OptionSpec& o : kOptions)
        if (o.name == name) return &o;
    return nullptr;
}

// Every -d item QEMU 7.2 knows ("-d help"), so that the ones Vireo lacks get a precise message.
constexpr std::string_view kQemuLogItems[] = {
    "out_asm", "in_asm", "op", "op_opt", "op_ind", "int", "exec", "cpu", "fpu", "mmu", "pcall",
    "cpu_reset", "unimp", "guest_errors", "page", "nochain", "plugin", "strace", "tid",
};

constexpr LogItem kLogItems[] = {
    {"in_asm", "show guest assembly code for each translated block"},
    {"exec", "show a trace line before each executed block (lots of logs)"},
    {"int", "show interrupts and exceptions in short format"},
    {"cpu", "show CPU registers before entering a block (lots of logs)"},
    {"mmu", "log MMU-related activity"},
    {"guest_errors", "log when the guest does something invalid (e.g. a missing register)"},
    {"unimp", "log unimplemented functionality"},
    {"nochain", "do not chain translated blocks, so exec and cpu show complete traces"},
};

// QEMU 7.2's -accel names ("-accel help" / qemu-options.hx).
constexpr std::string_view kQemuAccels[] = {"kvm", "xen", "hax", "hvf", "nvmm", "whpx", "tcg", "qtest"};

bool known_accel(std::string_view a) {
    return std::find(std::begin(kQemuAccels), std::end(kQemuAccels), a) != std::end(kQemuAccels);
}

// QEMU 7.2's -vga types ("-vga help").
constexpr std::string_view kVgaTypes[] = {"std", "cirrus", "vmware", "qxl", "xenfb", "tcx", "cg3", "virtio", "none"};

// QEMU 7.2's -display types (the DisplayType enum), plus the legacy "vnc=DISPLAY" form.
constexpr std::string_view kDisplayTypes[] = {"default", "none", "gtk", "sdl", "egl-headless",
                                              "curses", "cocoa", "spice-app", "dbus"};

std::string display_type_of(std::string_view display) {
    std::string_view type = display.substr(0, display.find(','));
    if (starts_with(type, "vnc=") || type == "vnc") return "vnc";
    return std::string(type);
}

// Fixed-key QemuOpts lists: anything else is "Invalid parameter 'x'".
void require_keys(const KeyValues& kv, std::initializer_list<std::string_view> allowed) {
    for (const KeyValue& e : kv.entries())
        if (std::find(allowed.begin(), allowed.end(), e.key) == allowed.end())
            throw OptionError("Invalid parameter " + quote(e.key));
}

// Every key of any list: an empty key is never valid.
void reject_empty_keys(const KeyValues& kv) {
    for (const KeyValue& e : kv.entries())
        if (e.key.empty()) throw OptionError("Invalid parameter ''");
}

// -boot drive letters (softmmu/bootdevice.c's documented checks, then the PC's: floppy a/b,
// disk c, CD-ROM d, network n, at most three, as the PC BIOS CMOS boot order holds three).
void validate_boot_devices(std::string_view devices) {
    unsigned seen = 0;
    for (char c : devices) {
        if (c < 'a' || c > 'p') throw OptionError(std::string("Invalid boot device '") + c + "'");
        unsigned bit = 1u << (c - 'a');
        if (seen & bit) throw OptionError(std::string("Boot device '") + c + "' was given twice");
        seen |= bit;
    }
    for (char c : devices)
        if (c != 'a' && c != 'b' && c != 'c' && c != 'd' && c != 'n')
            throw OptionError(std::string("Invalid boot device for PC: '") + c + "'");
    if (devices.size() > 3) throw OptionError("Too many boot devices for PC");
}

// -rtc base=: utc, localtime, or a date "2006-06-17T16:01:21" / "2006-06-17". QEMU reads the
// fields with "%d", so any number of digits per field is accepted (the date is normalized).
bool valid_rtc_base(std::string_view base) {
    if (base == "utc" || base == "localtime") return true;
    size_t pos = 0;
    auto number = [&] {
        size_t start = pos;
        while (pos < base.size() && std::isdigit(static_cast<unsigned char>(base[pos]))) ++pos;
        return pos > start;
    };
    auto sep = [&](char c) { return pos < base.size() && base[pos++] == c; };
    if (!(number() && sep('-') && number() && sep('-') && number())) return false;
    if (pos == base.size()) return true;
    return sep('T') && number() && sep(':') && number() && sep(':') && number() && pos == base.size();
}

// "-display none[,...]": only the options common to every display type are accepted
// (full-screen, show-cursor, window-close: no effect without a window), and no OpenGL.
void validate_display_none(std::string_view display) {
    KeyValues kv = parse_keyvalues(display, "type", KeyValueSyntax::Keyval);
    for (const KeyValue& e : kv.entries()) {
        if (e.key == "type") continue;
        if (e.key == "gl") {
            if (e.value != "off") throw OptionError("OpenGL is not supported by the display");
            continue;
        }
        if (e.key != "full-screen" && e.key != "show-cursor" && e.key != "window-close")
            throw OptionError("Parameter " + quote(e.key) + " is unexpected");
        kv.get_bool(e.key);
    }
    if (kv.help_requested()) throw OptionError("Help is not available for this option");
}

// Builds the VmConfig option by option; per-run state only, no globals.
class CommandLineParser {
public:
    VmConfig run(int argc, char** argv);

private:
    // Returns false when parsing must stop (an immediate help/version request).
    bool handle(const OptionSpec& spec, std::string_view arg, std::string_view optarg);
    void handle_machine(std::string_view where, std::string_view optarg);
    void handle_cpu(std::string_view where, std::string_view optarg);
    bool handle_memory(std::string_view optarg);  // false: help requested
    void handle_smp(std::string_view where, const KeyValues& kv);
    void handle_chardev(std::string_view optarg);
    void handle_device(std::string_view optarg);
    void handle_global(std::string_view optarg);
    void handle_monitor(std::string_view option, std::string_view optarg);
    void handle_mon(std::string_view optarg);
    void handle_boot(std::string_view where, const KeyValues& kv);
    void handle_accel(std::string_view optarg);
    void handle_hda(std::string_view where, std::string_view file);
    void note_flags(std::string_view where, const KeyValues& kv);
    void finish();
    void finish_memory();
    void finish_smp();
    void finish_accel();
    void finish_references();

    VmConfig cfg_;
    KeyValues mem_;            // merged -m
    std::string mem_where_;    // last "-m ARG" for messages
    KeyValues smp_;            // merged -smp and -machine smp.*
    std::string smp_where_;
    std::string log_where_;    // "-d": its messages are "-d: ..."
    bool log_given_ = false;
    std::string machine_accel_;     // -machine accel= / -enable-kvm
    std::string machine_accel_where_;
    bool accel_option_ = false;     // -accel given
};

VmConfig CommandLineParser::run(int argc, char** argv) {
    // Pass 1 (QEMU: the loop that only calls lookup_opt): every option must exist and have
    // its argument, before anything else happens, so "-help -foo" still fails on -foo.
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg.empty() || arg[0] != '-') continue;  // a disk image
        const OptionSpec* spec = find_option(arg);
        if (!spec) throw OptionError(std::string(arg) + ": invalid option");
        if (spec->has_arg) {
            if (i + 1 >= argc) throw OptionError(std::string(arg) + ": requires an argument");
            ++i;
        }
    }
    // Pass 2: in order.
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg.empty() || arg[0] != '-') {
            handle_hda(arg, arg);  // QEMU: a bare argument is the disk image for index 0
            continue;
        }
        const OptionSpec* spec = find_option(arg);
        std::string_view optarg;
        if (spec->has_arg) optarg = argv[++i];
        if (!handle(*spec, arg, optarg)) return cfg_;
    }
    finish();
    return cfg_;
}

void CommandLineParser::note_flags(std::string_view where, const KeyValues& kv) {
    // QEMU 7.2: "short-form boolean option 'x' deprecated / Please use x=on instead".
    for (const std::string& f : kv.flags()) {
        bool off = starts_with(f, "no");
        std::string key = off ? f.substr(2) : f;
        cfg_.warnings.push_back(std::string(where) + ": short-form boolean option " + quote(f) +
                                " deprecated, use " + key + (off ? "=off" : "=on") + " instead");
    }
}

bool CommandLineParser::handle(const OptionSpec& spec, std::string_view arg, std::string_view optarg) {
    std::string where = std::string(arg);
    if (spec.has_arg) where += " " + std::string(optarg);
    try {
        switch (spec.id) {
        case Opt::Help:
            cfg_.help = true;  // QEMU prints the help and exits right away
            return false;
        case Opt::Version:
            cfg_.version = true;
            return false;
        case Opt::Machine:
            handle_machine(where, optarg);
            return !(cfg_.machine_help || !cfg_.machine_props_help.empty());
        case Opt::Cpu:
            handle_cpu(where, optarg);
            return true;
        case Opt::Memory:
            mem_where_ = where;
            return handle_memory(optarg);
        case Opt::Smp: {
            KeyValues kv = parse_keyvalues(optarg, "cpus", KeyValueSyntax::Keyval);
            if (kv.help_requested()) {  // keyval help: answered at once
                cfg_.option_help.push_back("-smp");
                return false;
            }
            handle_smp(where, kv);
            return true;
        }
        case Opt::Kernel: cfg_.kernel = optarg; return true;
        case Opt::Initrd: cfg_.initrd = optarg; return true;
        case Opt::Append: cfg_.append = optarg; return true;
        case Opt::Bios: cfg_.bios = optarg; return true;
        case Opt::Serial:
            parse_char_shorthand(optarg);
            cfg_.serials.emplace_back(optarg);
            return true;
        case Opt::Debugcon:
            parse_char_shorthand(optarg);
            cfg_.debugcons.emplace_back(optarg);
            return true;
        case Opt::Chardev:
            handle_chardev(optarg);
            return true;
        case Opt::Device:
            handle_device(optarg);
            return true;
        case Opt::Global:
            handle_global(optarg);
            return true;
        case Opt::NoDefaults: cfg_.nodefaults = true; return true;
        case Opt::NoGraphic: cfg_.nographic = true; return true;
        case Opt::NoReboot: cfg_.no_reboot = true; return true;
        case Opt::NoShutdown: cfg_.no_shutdown = true; return true;
        case Opt::Paused: cfg_.start_paused = true; return true;
        case Opt::Display: {
            std::string type = display_type_of(optarg);
            if (is_help_word(type)) {
                cfg_.option_help.push_back("-display");
                return false;
            }
            if (type != "vnc" &&
                std::find(std::begin(kDisplayTypes), std::end(kDisplayTypes), type) == std::end(kDisplayTypes))
                throw OptionError("Parameter 'type' does not accept value " + quote(type));
            if (type == "none") validate_display_none(optarg);
            cfg_.display = optarg;
            return true;
        }
        case Opt::LogItems:
            // QEMU keeps only the last -d and reads it after all options.
            cfg_.log_items_raw = optarg;
            log_given_ = true;
            return true;
        case Opt::LogFile: cfg_.log_file = optarg; return true;
        case Opt::Accel:
            handle_accel(optarg);
            return !(cfg_.option_help.size() && cfg_.option_help.back() == "-accel");
        case Opt::GdbDefault:
            cfg_.gdb = "tcp::1234";  // documented: "-s  Shorthand for -gdb tcp::1234"
            cfg_.gdb_option = "-s";
            return true;
        case Opt::Gdb: {
            CharShorthand c = parse_char_shorthand(optarg);
            cfg_.gdb = c.none ? "" : std::string(optarg);
            cfg_.gdb_option = "-gdb";
            return true;
        }
        case Opt::Monitor:
        case Opt::Qmp:
        case Opt::QmpPretty:
            handle_monitor(arg, optarg);
            return true;
        case Opt::Mon:
            handle_mon(optarg);
            return !(cfg_.option_help.size() && cfg_.option_help.back() == "-mon");
        case Opt::DataDir:
            if (optarg == "help") cfg_.option_help.push_back("-L");
            else cfg_.data_dirs.emplace_back(optarg);
            return true;
        case Opt::Name: {
            KeyValues kv = parse_keyvalues(optarg, "guest");
            reject_empty_keys(kv);
            note_flags(where, kv);
            if (kv.help_requested()) {
                cfg_.option_help.push_back("-name");
                return false;
            }
            require_keys(kv, {"guest", "process", "debug-threads"});
            kv.get_bool("debug-threads");
            cfg_.name_props.append(kv);
            cfg_.name = cfg_.name_props.get_or("guest", "");
            return true;
        }
        case Opt::Boot: {
            KeyValues kv = parse_keyvalues(optarg, "order", KeyValueSyntax::Keyval);
            if (kv.help_requested()) {
                cfg_.option_help.push_back("-boot");
                return false;
            }
            handle_boot(where, kv);
            return true;
        }
        case Opt::Drive: cfg_.drives.emplace_back(optarg); return true;
        case Opt::Hda: handle_hda(where, optarg); return true;
        case Opt::Cdrom:
            if (!cfg_.cdrom.empty()) throw OptionError("drive with bus=1, unit=0 (index=2) exists");
            cfg_.cdrom = optarg;
            return true;
        case Opt::Nic: cfg_.nics.emplace_back(optarg); return true;
        case Opt::Netdev: cfg_.netdevs.emplace_back(optarg); return true;
        case Opt::Vga:
            if (is_help_word(optarg)) {
                cfg_.option_help.push_back("-vga");
                return true;
            }
            if (std::find(std::begin(kVgaTypes), std::end(kVgaTypes), optarg) == std::end(kVgaTypes))
                throw OptionError("unknown vga type: " + std::string(optarg));
            cfg_.vga = optarg;
            return true;
        case Opt::Vnc: cfg_.vnc = optarg; return true;
        case Opt::EnableKvm:
            // QEMU 7.2: -enable-kvm is "-machine accel=kvm".
            cfg_.enable_kvm = true;
            machine_accel_ = "kvm";
            machine_accel_where_ = where;
            return true;
        case Opt::NoHpet:
            // QEMU 7.2: -no-hpet is "-machine hpet=off".
            cfg_.machine_props.add("hpet", "off");
            return true;
        case Opt::Icount: {
            KeyValues kv = parse_keyvalues(optarg, "shift");
            reject_empty_keys(kv);
            note_flags(where, kv);
            if (kv.help_requested()) {
                cfg_.option_help.push_back("-icount");
                return false;
            }
            require_keys(kv, {"shift", "align", "sleep", "rr", "rrfile", "rrsnapshot"});
            KeyValues merged = cfg_.icount;
            merged.append(kv);
            if (auto shift = merged.get("shift"); shift && *shift != "auto") {
                uint64_t n;
                if (!parse_c_uint(*shift, n) || n > 10) throw OptionError("icount: Invalid shift value");
            }
            merged.get_bool("align");
            merged.get_bool("sleep");
            if (merged.get_bool("align") && !merged.has("shift"))
                throw OptionError("Please specify shift option when using align");
            if (auto rr = merged.get("rr"); rr && *rr != "record" && *rr != "replay")
                throw OptionError("Invalid icount rr option: " + *rr);
            cfg_.icount = merged;
            return true;
        }
        case Opt::Rtc: {
            KeyValues kv = parse_keyvalues(optarg);
            reject_empty_keys(kv);
            note_flags(where, kv);
            if (kv.help_requested()) {
                cfg_.option_help.push_back("-rtc");
                return false;
            }
            require_keys(kv, {"base", "clock", "driftfix"});
            if (auto base = kv.get("base"); base && !valid_rtc_base(*base))
                throw OptionError("invalid datetime format " + quote(*base) +
                                  " (valid formats: '2006-06-17T16:01:21' or '2006-06-17')");
            if (auto clock = kv.get("clock"); clock && *clock != "host" && *clock != "rt" && *clock != "vm")
                throw OptionError("invalid option value " + quote(*clock));
            if (auto d = kv.get("driftfix"); d && *d != "none" && *d != "slew")
                throw OptionError("invalid option value " + quote(*d));
            cfg_.rtc.append(kv);
            return true;
        }
        case Opt::Unmodelled:
            cfg_.unmodelled.push_back({"-" + std::string(spec.name), std::string(optarg)});
            return true;
        case Opt::OtherTarget:
            throw OptionError("Option not supported for this target");
        }
    } catch (const OptionError& e) {
        std::string_view msg = e.what();
        if (starts_with(msg, where + ": ")) throw;  // already located
        fail_at(where, msg);
    }
    return true;
}

void CommandLineParser::handle_hda(std::string_view where, std::string_view file) {
    if (!cfg_.hda.empty()) fail_at(where, "drive with bus=0, unit=0 (index=0) exists");
    cfg_.hda = file;
}

void CommandLineParser::handle_machine(std::string_view where, std::string_view optarg) {
    KeyValues kv = parse_keyvalues(optarg, "type", KeyValueSyntax::Keyval);
    if (kv.help_requested()) {
        // "-machine help" lists machines; "-machine TYPE,help" (TYPE possibly from an
        // earlier -machine) lists TYPE's properties. QEMU answers at once.
        std::string type = kv.get_or("type", cfg_.machine_type);
        if (type.empty() || is_help_word(type)) cfg_.machine_help = true;
        else cfg_.machine_props_help = type;
        return;
    }
    for (const KeyValue& e : kv.entries()) {
        const std::string& k = e.key;
        if (k == "type") {
            if (is_help_word(e.value)) {
                cfg_.machine_help = true;
                return;
            }
            cfg_.machine_type = e.value;
        } else if (k == "kernel") cfg_.kernel = e.value;
        else if (k == "initrd") cfg_.initrd = e.value;
        else if (k == "append") cfg_.append = e.value;
        else if (k == "firmware") cfg_.bios = e.value;
        else if (k == "accel") {
            machine_accel_ = e.value;
            machine_accel_where_ = where;
        } else if (starts_with(k, "smp.")) {
            KeyValues s;
            s.add(k.substr(4), e.value);
            handle_smp(where, s);
        } else if (starts_with(k, "boot.")) {
            KeyValues b;
            b.add(k.substr(5), e.value);
            handle_boot(where, b);
        } else {
            cfg_.machine_props.add(k, e.value);
        }
    }
    check_keyval_nesting(cfg_.machine_props);
}

void CommandLineParser::handle_cpu(std::string_view where, std::string_view optarg) {
    // x86 -cpu: "MODEL[,feature...]" split on plain ',' (no ",," escape, empty items skipped);
    // "+f" / "-f" are the legacy forms of f=on / f=off and win over f=... whatever the order
    // (docs/system/cpu-models-x86), so they go last; a bare "f" is f=on.
    std::string_view model = optarg.substr(0, optarg.find(','));
    if (is_help_word(model)) {
        cfg_.cpu_help = true;
        return;
    }
    if (model.empty()) throw OptionError("unable to find CPU model ''");
    KeyValues props, legacy;
    std::string_view rest = optarg.size() > model.size() ? optarg.substr(model.size() + 1) : "";
    while (!rest.empty()) {
        size_t comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
        if (item.empty()) continue;
        if (item[0] == '+' || item[0] == '-') {
            if (item.size() == 1) throw OptionError("Invalid CPU feature " + quote(item));
            legacy.add(std::string(item.substr(1)), item[0] == '+' ? "on" : "off");
        } else if (size_t eq = item.find('='); eq != std::string_view::npos) {
            if (eq == 0) throw OptionError("Invalid parameter ''");
            props.add(std::string(item.substr(0, eq)), std::string(item.substr(eq + 1)));
        } else {
            props.add(std::string(item), "on");
        }
    }
    for (const KeyValue& l : legacy.entries())
        if (props.has(l.key))
            cfg_.warnings.push_back(std::string(where) + ": ambiguous CPU model string, don't mix both \"" +
                                    (l.value == "on" ? "+" : "-") + l.key + "\" and \"" + l.key + "=" +
                                    *props.get(l.key) + "\"");
    props.append(legacy);
    cfg_.cpu_model = model;
    cfg_.cpu_props = props;  // the last -cpu wins
}

bool CommandLineParser::handle_memory(std::string_view optarg) {
    KeyValues kv = parse_keyvalues(optarg, "size");
    reject_empty_keys(kv);
    note_flags(mem_where_, kv);
    if (kv.help_requested()) {
        cfg_.option_help.push_back("-m");
        return false;
    }
    if (kv.has("id")) throw OptionError("Invalid parameter 'id'");
    require_keys(kv, {"size", "slots", "maxmem"});
    kv.get_size("size");  // QemuOpts checks the syntax now; the MiB rule applies later
    kv.get_number("slots");
    kv.get_size("maxmem");
    mem_.append(kv);
    return true;
}

void CommandLineParser::handle_smp(std::string_view where, const KeyValues& kv) {
    for (const KeyValue& e : kv.entries()) {
        static constexpr std::string_view keys[] = {"cpus", "maxcpus", "sockets", "dies", "clusters", "cores", "threads"};
        if (std::find(std::begin(keys), std::end(keys), e.key) == std::end(keys))
            throw OptionError("Parameter 'smp." + e.key + "' is unexpected");
        uint64_t n;
        if (!parse_c_uint(e.value, n)) throw OptionError("Parameter 'smp." + e.key + "' expects integer");
        if (n == 0)  // docs: "explicit configuration like cpus=0 is not allowed"
            throw OptionError("Invalid CPU topology: CPU topology parameters must be greater than zero");
        if (n > UINT32_MAX) throw OptionError("Parameter 'smp." + e.key + "' is out of range");
    }
    smp_.append(kv);
    smp_where_ = where;
}

void CommandLineParser::handle_boot(std::string_view where, const KeyValues& kv) {
    for (const KeyValue& e : kv.entries()) {
        static constexpr std::string_view keys[] = {"order", "once", "menu", "splash", "splash-time",
                                                     "reboot-timeout", "strict"};
        if (std::find(std::begin(keys), std::end(keys), e.key) == std::end(keys))
            throw OptionError("Parameter 'boot." + e.key + "' is unexpected");
    }
    KeyValues merged = cfg_.boot;
    merged.append(kv);
    try {
        if (auto order = merged.get("order")) validate_boot_devices(*order);
        if (auto once = merged.get("once")) validate_boot_devices(*once);
        merged.get_bool("menu");
        merged.get_bool("strict");
    } catch (const OptionError& e) {
        fail_at(where, e.what());
    }
    for (const char* key : {"splash-time", "reboot-timeout"}) {
        int64_t n;
        if (auto v = merged.get(key); v && !parse_c_int(*v, n))
            fail_at(where, "Parameter 'boot." + std::string(key) + "' expects integer");
    }
    cfg_.boot = merged;
}

void CommandLineParser::handle_chardev(std::string_view optarg) {
    KeyValues kv = parse_keyvalues(optarg, "backend");
    reject_empty_keys(kv);
    note_flags("-chardev " + std::string(optarg), kv);
    std::string backend = kv.get_or("backend", "");
    if (is_help_word(backend) || kv.help_requested()) {
        cfg_.option_help.push_back("-chardev");
        return;
    }
    // QemuOpts takes the first id= as the object's id.
    auto first_id = std::find_if(kv.entries().begin(), kv.entries().end(), [](const KeyValue& e) { return e.key == "id"; });
    if (first_id == kv.entries().end()) throw OptionError("chardev: no id specified");
    std::string id = first_id->value;
    if (!id_wellformed(id)) throw OptionError(std::string(kBadIdMessage));
    if (backend.empty()) throw OptionError("chardev: \"" + id + "\" missing backend");
    for (const ChardevSpec& c : cfg_.chardevs)
        if (c.id == id) throw OptionError("Duplicate ID " + quote(id) + " for chardev");
    kv.erase("id");
    kv.erase("backend");
    cfg_.chardevs.push_back({backend, id, kv, std::string(optarg)});
}

void CommandLineParser::handle_device(std::string_view optarg) {
    if (starts_with(optarg, "{")) throw OptionError("JSON syntax for -device is not supported yet");
    KeyValues kv = parse_keyvalues(optarg, "driver");
    reject_empty_keys(kv);
    note_flags("-device " + std::string(optarg), kv);
    std::optional<std::string> driver = kv.get("driver");
    if (driver && is_help_word(*driver)) {
        cfg_.device_help = true;
        return;
    }
    if (kv.help_requested()) {
        if (driver && !driver->empty()) cfg_.device_props_help = *driver;
        else cfg_.device_help = true;
        return;
    }
    if (!driver || driver->empty()) throw OptionError("Parameter 'driver' is missing");
    std::string id;
    auto first_id = std::find_if(kv.entries().begin(), kv.entries().end(), [](const KeyValue& e) { return e.key == "id"; });
    if (first_id != kv.entries().end()) {
        id = first_id->value;
        if (!id_wellformed(id)) throw OptionError(std::string(kBadIdMessage));
        for (const DeviceSpec& d : cfg_.devices)
            if (d.id == id) throw OptionError("Duplicate ID " + quote(id) + " for device");
    }
    kv.erase("id");
    kv.erase("driver");
    cfg_.devices.push_back({*driver, id, kv, std::string(optarg)});
}

void CommandLineParser::handle_global(std::string_view optarg) {
    // Short form "DRIVER.PROP=VALUE": the driver runs to the first '.' (no '=' in it), the
    // property to the first '=' after it, and the value is the rest, taken literally.
    size_t dot = optarg.find_first_of(".=");
    if (dot != std::string_view::npos && dot > 0 && optarg[dot] == '.') {
        size_t eq = optarg.find('=', dot + 1);
        if (eq != std::string_view::npos && eq > dot + 1) {
            cfg_.globals.push_back({std::string(optarg.substr(0, dot)), std::string(optarg.substr(dot + 1, eq - dot - 1)),
                                    std::string(optarg.substr(eq + 1)), std::string(optarg)});
            return;
        }
    }
    // Long form: driver=,property=,value= (QemuOpts without an implied key).
    KeyValues kv = parse_keyvalues(optarg);
    reject_empty_keys(kv);
    note_flags("-global " + std::string(optarg), kv);
    require_keys(kv, {"driver", "property", "value"});
    if (!kv.has("driver") || !kv.has("property") || !kv.has("value"))
        throw OptionError("options 'driver', 'property', and 'value' are required");
    cfg_.globals.push_back({*kv.get("driver"), *kv.get("property"), *kv.get("value"), std::string(optarg)});
}

void CommandLineParser::handle_monitor(std::string_view option, std::string_view optarg) {
    std::string opt = "-" + std::string(find_option(option)->name);
    cfg_.monitor_given = true;  // QEMU: any of these disables the default monitor
    // QEMU: "-monitor none" (anything starting with "none") means no monitor at all.
    if (opt == "-monitor" && starts_with(optarg, "none")) return;
    CharShorthand c = parse_char_shorthand(optarg);
    if (c.none) return;
    MonitorSpec m;
    m.option = opt;
    m.chardev = c.chardev_id;
    if (c.chardev_id.empty()) m.device = optarg;
    m.mode = opt == "-monitor" ? "readline" : "control";
    m.pretty = opt == "-qmp-pretty";
    m.raw = optarg;
    cfg_.monitors.push_back(m);
}

void CommandLineParser::handle_mon(std::string_view optarg) {
    KeyValues kv = parse_keyvalues(optarg, "chardev");
    reject_empty_keys(kv);
    note_flags("-mon " + std::string(optarg), kv);
    if (kv.help_requested()) {
        cfg_.option_help.push_back("-mon");
        return;
    }
    require_keys(kv, {"id", "mode", "chardev", "pretty"});
    if (auto id = kv.get("id"); id && !id_wellformed(*id)) throw OptionError(std::string(kBadIdMessage));
    std::string mode = kv.get_or("mode", "readline");
    if (mode != "readline" && mode != "control")
        throw OptionError("Parameter 'mode' does not accept value " + quote(mode));
    bool pretty = kv.get_bool("pretty");
    if (pretty && mode == "readline") throw OptionError("'pretty' is not compatible with HMP monitors");
    if (!kv.has("chardev")) throw OptionError("Parameter 'chardev' is missing");
    cfg_.monitor_given = true;
    cfg_.monitors.push_back({"-mon", *kv.get("chardev"), "", mode, pretty, std::string(optarg)});
}

void CommandLineParser::handle_accel(std::string_view optarg) {
    KeyValues kv = parse_keyvalues(optarg, "accel");
    reject_empty_keys(kv);
    note_flags("-accel " + std::string(optarg), kv);
    std::string name = kv.get_or("accel", "");
    if (is_help_word(name)) {
        cfg_.option_help.push_back("-accel");
        return;
    }
    if (name.empty()) throw OptionError("Parameter 'accel' is missing");
    if (!known_accel(name)) throw OptionError("invalid accelerator " + name);
    accel_option_ = true;
    cfg_.accels.push_back(kv);
}

void CommandLineParser::finish() {
    if (log_given_) {
        std::vector<std::string> items;
        std::string_view text = cfg_.log_items_raw;
        bool help = false;
        for (size_t pos = 0; pos <= text.size();) {
            size_t comma = text.find(',', pos);
            std::string_view item = text.substr(pos, comma == std::string_view::npos ? text.npos : comma - pos);
            if (is_help_word(item)) help = true;
            if (comma == std::string_view::npos) break;
            pos = comma + 1;
        }
        if (help) cfg_.d_help = true;  // "-d in_asm,help" is a help request too
        else cfg_.log_items = parse_log_items(text);
    }
    if (!cfg_.append.empty() && cfg_.kernel.empty())
        throw OptionError("-append only allowed with -kernel option");
    if (!cfg_.initrd.empty() && cfg_.kernel.empty())
        throw OptionError("-initrd only allowed with -kernel option");
    finish_memory();
    finish_smp();
    finish_accel();
    finish_references();
}

void CommandLineParser::finish_memory() {
    // softmmu/vl.c parse_memory_options() behaviour: "-m 128" is 128 MiB (a size ending in a
    // digit gets an implicit M), 0 means the default, and RAM is 8 KiB aligned.
    uint64_t size = 0;
    if (auto s = mem_.get("size")) {
        size = mem_.get_size("size");
        if (!s->empty() && std::isdigit(static_cast<unsigned char>(s->back()))) {
            if (size > UINT64_MAX / kMiB) fail_at(mem_where_, "ram size " + quote(*s + "M") + " is too large");
            size *= kMiB;
        }
    }
    if (size == 0) size = kDefaultRamSize;
    if (size > UINT64_MAX - 8191) fail_at(mem_where_, "ram size is too large");
    size = (size + 8191) & ~uint64_t(8191);
    cfg_.ram_size = size;
    cfg_.ram_slots = mem_.get_number("slots");
    cfg_.max_ram_size = mem_.get_size("maxmem");
    if (cfg_.ram_slots && !mem_.has("maxmem")) fail_at(mem_where_, "slots specified but no max-size");
    if (mem_.has("maxmem") && cfg_.max_ram_size < cfg_.ram_size) {
        char buf[160];
        std::snprintf(buf, sizeof buf,
                      "invalid value of maxmem: maximum memory size (0x%llx) must be at least the initial "
                      "memory size (0x%llx)",
                      (unsigned long long)cfg_.max_ram_size, (unsigned long long)cfg_.ram_size);
        fail_at(mem_where_, buf);
    }
}

void CommandLineParser::finish_smp() {
    // The -smp rules of QEMU >= 6.2 (see options.h): prefer cores over sockets over threads.
    auto get = [&](const char* k) -> uint64_t { return smp_.get_number(k); };
    uint64_t cpus = get("cpus"), maxcpus = get("maxcpus"), sockets = get("sockets"), dies = get("dies"),
             clusters = get("clusters"), cores = get("cores"), threads = get("threads");
    if (clusters > 1) fail_at(smp_where_, "clusters not supported by this machine's CPU topology");
    dies = dies ? dies : 1;
    clusters = 1;
    if (cpus == 0 && maxcpus == 0) {
        sockets = sockets ? sockets : 1;
        cores = cores ? cores : 1;
        threads = threads ? threads : 1;
    } else {
        maxcpus = maxcpus ? maxcpus : cpus;
        if (cores == 0) {
            sockets = sockets ? sockets : 1;
            threads = threads ? threads : 1;
            cores = maxcpus / (sockets * dies * threads);
        } else if (sockets == 0) {
            threads = threads ? threads : 1;
            sockets = maxcpus / (dies * cores * threads);
        }
        if (threads == 0) threads = maxcpus / (sockets * dies * cores);
    }
    unsigned __int128 product = (unsigned __int128)sockets * dies * clusters * cores * threads;
    if (maxcpus == 0) {
        if (product > UINT32_MAX) fail_at(smp_where_, "Invalid CPU topology: too many CPUs");
        maxcpus = uint64_t(product);
    }
    cpus = cpus ? cpus : maxcpus;
    auto hierarchy = [&] {
        return "sockets (" + std::to_string(sockets) + ") * dies (" + std::to_string(dies) + ") * cores (" +
               std::to_string(cores) + ") * threads (" + std::to_string(threads) + ")";
    };
    if (product != maxcpus)
        fail_at(smp_where_, "Invalid CPU topology: product of the hierarchy must match maxcpus: " + hierarchy() +
                                " != maxcpus (" + std::to_string(maxcpus) + ")");
    if (maxcpus < cpus)
        fail_at(smp_where_, "Invalid CPU topology: maxcpus must be equal to or greater than smp: " + hierarchy() +
                                " == maxcpus (" + std::to_string(maxcpus) + ") < smp_cpus (" + std::to_string(cpus) + ")");
    cfg_.smp = {unsigned(cpus), unsigned(sockets), unsigned(dies), unsigned(clusters),
                unsigned(cores), unsigned(threads), unsigned(maxcpus)};
}

void CommandLineParser::finish_accel() {
    if (machine_accel_.empty()) return;
    if (accel_option_) throw OptionError("The -accel and \"-machine accel=\" options are incompatible");
    // "-machine accel=A:B": try A, then B; QEMU warns about and skips unknown names.
    std::string_view list = machine_accel_;
    std::string bad;
    for (size_t pos = 0; pos <= list.size();) {
        size_t colon = list.find(':', pos);
        std::string name(list.substr(pos, colon == std::string_view::npos ? list.npos : colon - pos));
        if (known_accel(name)) {
            KeyValues kv;
            kv.add("accel", name);
            cfg_.accels.push_back(kv);
        } else {
            cfg_.warnings.push_back(machine_accel_where_ + ": invalid accelerator " + name);
            if (bad.empty()) bad = name;
        }
        if (colon == std::string_view::npos) break;
        pos = colon + 1;
    }
    if (cfg_.accels.empty()) fail_at(machine_accel_where_, "invalid accelerator " + bad);
}

void CommandLineParser::finish_references() {
    auto exists = [&](const std::string& id) {
        return std::any_of(cfg_.chardevs.begin(), cfg_.chardevs.end(), [&](const ChardevSpec& c) { return c.id == id; });
    };
    for (const MonitorSpec& m : cfg_.monitors)
        if (!m.chardev.empty() && !exists(m.chardev))
            fail_at(m.option + " " + m.raw, "chardev \"" + m.chardev + "\" not found");
    auto check = [&](std::string_view option, const std::string& spec) {
        CharShorthand c = parse_char_shorthand(spec);
        if (!c.chardev_id.empty() && !exists(c.chardev_id))
            fail_at(std::string(option) + " " + spec, "chardev \"" + c.chardev_id + "\" not found");
    };
    for (const std::string& s : cfg_.serials) check("-serial", s);
    for (const std::string& s : cfg_.debugcons) check("-debugcon", s);
    if (!cfg_.gdb.empty() && cfg_.gdb_option == "-gdb") check("-gdb", cfg_.gdb);
}

// "left    right", the description in column 44 (on its own line when left is too long).
void print_row(std::string& out, std::string_view left, std::string_view right) {
    constexpr size_t kColumn = 44;
    out += left;
    if (!right.empty()) {
        if (left.size() < kColumn) out.append(kColumn - left.size(), ' ');
        else out.append("\n").append(kColumn, ' ');
        out += right;
    }
    out += '\n';
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// KeyValues

bool KeyValues::has(std::string_view key) const {
    return std::any_of(entries_.begin(), entries_.end(), [&](const KeyValue& e) { return e.key == key; });
}

std::optional<std::string> KeyValues::get(std::string_view key) const {
    for (auto it = entries_.rbegin(); it != entries_.rend(); ++it)
        if (it->key == key) return it->value;
    return std::nullopt;
}

std::string KeyValues::get_or(std::string_view key, std::string_view fallback) const {
    auto v = get(key);
    return v ? *v : std::string(fallback);
}

bool KeyValues::get_bool(std::string_view key, bool fallback) const {
    auto v = get(key);
    if (!v) return fallback;
    if (*v == "on" || *v == "yes" || *v == "true" || *v == "y") return true;
    if (*v == "off" || *v == "no" || *v == "false" || *v == "n") return false;
    throw OptionError("Parameter " + quote(key) + " expects 'on' or 'off'");
}

uint64_t KeyValues::get_size(std::string_view key, uint64_t fallback) const {
    auto v = get(key);
    if (!v) return fallback;
    uint64_t out;
    switch (scan_size(*v, 'B', out)) {
    case SizeStatus::Ok: return out;
    case SizeStatus::OutOfRange:
        throw OptionError("Value " + quote(*v) + " is out of range for parameter " + quote(key));
    case SizeStatus::Invalid: break;
    }
    throw OptionError("Parameter " + quote(key) + " expects a non-negative number below 2^64 " + std::string(kSizeHint));
}

uint64_t KeyValues::get_number(std::string_view key, uint64_t fallback) const {
    auto v = get(key);
    if (!v) return fallback;
    uint64_t out;
    if (!parse_c_uint(*v, out)) throw OptionError("Parameter " + quote(key) + " expects a number");
    return out;
}

void KeyValues::add(std::string key, std::string value) { entries_.push_back({std::move(key), std::move(value)}); }

void KeyValues::erase(std::string_view key) {
    std::erase_if(entries_, [&](const KeyValue& e) { return e.key == key; });
}

void KeyValues::append(const KeyValues& more) {
    entries_.insert(entries_.end(), more.entries_.begin(), more.entries_.end());
    flags_.insert(flags_.end(), more.flags_.begin(), more.flags_.end());
    help_ = help_ || more.help_;
}

KeyValues parse_keyvalues(std::string_view text, std::string_view implied_key, KeyValueSyntax syntax) {
    KeyValues kv;
    size_t pos = 0;
    bool first = true;
    while (pos < text.size()) {
        size_t stop = text.find_first_of("=,", pos);
        if (stop == std::string_view::npos) stop = text.size();
        if (stop == text.size() || text[stop] == ',') {
            // An item without '='.
            if (syntax == KeyValueSyntax::QemuOpts) {
                if (first && !implied_key.empty()) {
                    // The implied key's value, read like any value (",," escapes, '=' allowed).
                    std::string value;
                    pos = read_value(text, pos, value);
                    kv.add(std::string(implied_key), std::move(value));
                } else {
                    std::string name(text.substr(pos, stop - pos));
                    pos = stop < text.size() ? stop + 1 : stop;
                    if (is_help_word(name)) {
                        kv.help_ = true;
                    } else {
                        kv.flags_.push_back(name);
                        if (starts_with(name, "no")) kv.add(name.substr(2), "off");
                        else kv.add(name, "on");
                    }
                }
            } else {
                std::string token(text.substr(pos, stop - pos));
                pos = stop < text.size() ? stop + 1 : stop;
                if (is_help_word(token)) kv.help_ = true;
                else if (first && !implied_key.empty() && !token.empty()) kv.add(std::string(implied_key), token);
                else if (token.empty()) throw OptionError("Invalid parameter ''");
                else throw OptionError("Expected '=' after parameter " + quote(token));
            }
        } else {
            std::string key(text.substr(pos, stop - pos));
            if (syntax == KeyValueSyntax::Keyval && !keyval_key_ok(key))
                throw OptionError("Invalid parameter " + quote(key));
            std::string value;
            pos = read_value(text, stop + 1, value);
            kv.add(std::move(key), std::move(value));
        }
        first = false;
    }
    if (syntax == KeyValueSyntax::Keyval) check_keyval_nesting(kv);
    return kv;
}

uint64_t parse_size(std::string_view text, char default_suffix) {
    uint64_t out;
    switch (scan_size(text, default_suffix, out)) {
    case SizeStatus::Ok: return out;
    case SizeStatus::OutOfRange:
        throw OptionError("size " + quote(text) + " is out of range (it must be below 2^64 bytes)");
    case SizeStatus::Invalid: break;
    }
    throw OptionError("invalid size " + quote(text) +
                      ": expected a non-negative number below 2^64, optionally followed by B, K, M, G, T, P or E");
}

// ---------------------------------------------------------------------------------------------
// Character device shorthands

CharShorthand parse_char_shorthand(std::string_view spec) {
    auto invalid = [](std::string_view s) -> OptionError {
        return OptionError(quote(s) + " is not a valid char driver");
    };
    CharShorthand c;
    if (spec == "none") {
        c.none = true;
        return c;
    }
    if (starts_with(spec, "chardev:")) {
        c.chardev_id = spec.substr(8);
        if (c.chardev_id.empty()) throw invalid(spec);
        return c;
    }
    if (starts_with(spec, "mon:")) {
        spec.remove_prefix(4);
        c.mux_monitor = true;
        if (spec == "none" || starts_with(spec, "mon:") || starts_with(spec, "chardev:")) throw invalid(spec);
    }
    static constexpr std::string_view plain[] = {"null", "pty", "msmouse", "wctablet", "braille", "testdev", "stdio"};
    if (std::find(std::begin(plain), std::end(plain), spec) != std::end(plain)) {
        c.backend = spec;
        return c;
    }
    struct Prefix {
        std::string_view prefix, backend;
    };
    static constexpr Prefix prefixes[] = {
        {"file:", "file"}, {"pipe:", "pipe"}, {"udp:", "udp"}, {"tcp:", "socket"},
        {"telnet:", "socket"}, {"websocket:", "socket"}, {"unix:", "socket"}, {"vc:", "vc"},
    };
    if (spec == "vc") {
        c.backend = "vc";
        return c;
    }
    for (const Prefix& p : prefixes)
        if (starts_with(spec, p.prefix)) {
            c.backend = p.backend;
            c.target = spec.substr(p.prefix.size());
            return c;
        }
    if (starts_with(spec, "/dev/parport")) {
        c.backend = "parallel";
        c.target = spec;
        return c;
    }
    if (starts_with(spec, "/dev/")) {
        c.backend = "serial";
        c.target = spec;
        return c;
    }
    throw invalid(spec);
}

// ---------------------------------------------------------------------------------------------
// -d

std::span<const LogItem> known_log_items() { return kLogItems; }

std::vector<std::string> parse_log_items(std::string_view text, std::span<const LogItem> known) {
    std::vector<std::string> items;
    for (size_t pos = 0; pos <= text.size();) {
        size_t comma = text.find(',', pos);
        std::string_view item = text.substr(pos, comma == std::string_view::npos ? text.npos : comma - pos);
        bool ok = std::any_of(known.begin(), known.end(), [&](const LogItem& k) { return k.name == item; });
        if (!ok) {
            bool qemu = starts_with(item, "trace:") ||
                        std::find(std::begin(kQemuLogItems), std::end(kQemuLogItems), item) != std::end(kQemuLogItems);
            if (qemu) throw OptionError("-d: log item " + quote(item) + " not supported yet");
            throw OptionError("-d: unknown log item " + quote(item));
        }
        if (std::find(items.begin(), items.end(), item) == items.end()) items.emplace_back(item);
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
    }
    return items;
}

std::string log_items_help(std::span<const LogItem> known) {
    std::string out = "Log items (comma separated):\n";
    for (const LogItem& k : known) {
        std::string row(k.name);
        row.append(k.name.size() < 16 ? 16 - k.name.size() : 1, ' ');
        out += row + std::string(k.help) + "\n";
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// parse_command_line / reject_unsupported

bool VmConfig::wants_help() const {
    return version || help || machine_help || !machine_props_help.empty() || d_help || cpu_help || device_help ||
           !device_props_help.empty() || !option_help.empty();
}

VmConfig parse_command_line(int argc, char** argv) { return CommandLineParser().run(argc, argv); }

void reject_unsupported(const VmConfig& c, const Capabilities& caps) {
    auto not_yet = [](std::string_view option) { throw OptionError(std::string(option) + ": not supported yet"); };
    auto in = [](const std::set<std::string, std::less<>>& s, std::string_view v) { return s.find(v) != s.end(); };

    for (const UnmodelledOption& u : c.unmodelled) not_yet(u.option);

    if (!c.machine_type.empty()) {
        if (caps.machine_types.empty()) not_yet("-machine");
        if (!in(caps.machine_types, c.machine_type))
            throw OptionError("-machine " + c.machine_type + ": unsupported machine type " + quote(c.machine_type) +
                              " (use -machine help to list supported machines)");
    }
    if (!c.cpu_model.empty()) {
        if (caps.cpu_models.empty()) not_yet("-cpu");
        if (!in(caps.cpu_models, c.cpu_model))
            throw OptionError("-cpu " + c.cpu_model + ": CPU model " + quote(c.cpu_model) +
                              " is unknown or not supported yet (use -cpu help)");
    }
    if (c.enable_kvm && !in(caps.accelerators, "kvm")) not_yet("-enable-kvm");
    for (const KeyValues& a : c.accels) {
        std::string name = a.get_or("accel", "");
        if (caps.accelerators.empty()) not_yet("-accel");
        if (!in(caps.accelerators, name)) throw OptionError("-accel " + name + ": not supported yet");
    }
    if (caps.max_cpus && c.smp.max_cpus > caps.max_cpus)
        throw OptionError("-smp: Invalid SMP CPUs " + std::to_string(c.smp.max_cpus) +
                          ". The max CPUs supported by machine '" +
                          (c.machine_type.empty() ? std::string("default") : c.machine_type) + "' is " +
                          std::to_string(caps.max_cpus));

    if (!caps.kernel_boot) {
        if (!c.kernel.empty()) not_yet("-kernel");
        if (!c.initrd.empty()) not_yet("-initrd");
        if (!c.append.empty()) not_yet("-append");
    }
    if (!c.bios.empty() && !caps.bios_file) not_yet("-bios");
    if (!c.boot.empty() && !caps.boot_options) not_yet("-boot");

    auto check_backend = [&](std::string_view where, std::string_view backend) {
        if (caps.chardev_backends.empty() || !in(caps.chardev_backends, backend))
            throw OptionError(std::string(where) + ": chardev backend " + quote(backend) + " is not supported yet");
    };
    auto check_shorthand = [&](std::string_view option, const std::string& spec) {
        CharShorthand s = parse_char_shorthand(spec);
        std::string where = std::string(option) + " " + spec;
        if (s.mux_monitor && !caps.monitor) throw OptionError(where + ": the monitor is not supported yet");
        if (!s.backend.empty()) check_backend(where, s.backend);
    };
    if (!c.chardevs.empty() && caps.chardev_backends.empty()) not_yet("-chardev");
    for (const ChardevSpec& ch : c.chardevs) check_backend("-chardev " + ch.raw, ch.backend);

    unsigned serial_ports = 0;
    for (const std::string& s : c.serials) {
        if (s == "none") continue;
        if (caps.serial_ports == 0) not_yet("-serial");
        if (++serial_ports > caps.serial_ports)
            throw OptionError("-serial " + s + ": only " + std::to_string(caps.serial_ports) +
                              " serial ports are supported");
        check_shorthand("-serial", s);
    }
    for (const std::string& s : c.debugcons) {
        if (s == "none") continue;
        if (!caps.debugcon) not_yet("-debugcon");
        check_shorthand("-debugcon", s);
    }
    for (const MonitorSpec& m : c.monitors) {
        bool qmp = m.mode == "control";
        if (qmp ? !caps.qmp : !caps.monitor) {
            if (m.option == "-mon") throw OptionError("-mon " + m.raw + ": " + (qmp ? "QMP" : "the monitor") + " is not supported yet");
            not_yet(m.option);
        }
        if (!m.device.empty()) check_shorthand(m.option, m.device);
    }
    if (!c.gdb.empty()) {
        if (!caps.gdb) not_yet(c.gdb_option);
        check_shorthand(c.gdb_option, c.gdb);
    }

    if (!c.devices.empty() && caps.device_types.empty()) not_yet("-device");
    for (const DeviceSpec& d : c.devices)
        if (!in(caps.device_types, d.driver))
            throw OptionError("-device " + d.raw + ": device " + quote(d.driver) +
                              " is unknown or not supported yet (use -device help)");
    if (!c.globals.empty() && !caps.globals) not_yet("-global");

    if (!c.display.empty()) {
        std::string type = display_type_of(c.display);
        if (type == "vnc") {
            if (!caps.vnc) not_yet("-display vnc");
        } else if (type != "none") {
            if (caps.display_types.empty()) not_yet("-display");
            if (!in(caps.display_types, type))
                throw OptionError("-display " + c.display + ": display type " + quote(type) + " is not supported yet");
        }
    }
    if (!c.vnc.empty() && !caps.vnc) not_yet("-vnc");
    if (!c.vga.empty() && c.vga != "none") {
        if (caps.vga_types.empty()) not_yet("-vga");
        if (!in(caps.vga_types, c.vga)) throw OptionError("-vga " + c.vga + ": VGA type " + quote(c.vga) + " is not supported yet");
    }

    if (!caps.drive) {
        if (!c.drives.empty()) not_yet("-drive");
        if (!c.hda.empty()) not_yet("-hda");
        if (!c.cdrom.empty()) not_yet("-cdrom");
    }
    if (!caps.netdev) {
        if (!c.netdevs.empty()) not_yet("-netdev");
        for (const std::string& n : c.nics)
            if (n != "none") not_yet("-nic");
    }
    if (!c.rtc.empty() && !caps.rtc) not_yet("-rtc");
    if (!c.icount.empty() && !caps.icount) not_yet("-icount");
    if (c.start_paused && !caps.start_paused) not_yet("-S");
    if (c.no_reboot && !caps.no_reboot) not_yet("-no-reboot");
    if (c.no_shutdown && !caps.no_shutdown) not_yet("-no-shutdown");
}

// ---------------------------------------------------------------------------------------------
// Texts

std::string version_text() { return "Vireo emulator version 0.1.0, QEMU-compatible command line\n"; }

std::string help_text() {
    std::string out = version_text();
    out += "usage: vireo [options] [disk_image]\n\n'disk_image' is a raw hard disk image for IDE hard disk 0\n\n";
    static constexpr std::pair<std::string_view, std::string_view> rows[] = {
        {"-h or -help", "display this help and exit"},
        {"-version", "display version information and exit"},
        {"-machine [type=]name[,prop=value[,...]]", "select the machine ('-machine help' for a list); -M is the same"},
        {"-cpu model[,feature[=value]|+feature|-feature]", "select the CPU model ('-cpu help' for a list)"},
        {"-accel [accel=]name[,prop=value[,...]]", "select an accelerator (several: tried in order)"},
        {"-enable-kvm", "same as -machine accel=kvm"},
        {"-smp [[cpus=]n][,maxcpus=..][,sockets=..][,dies=..][,cores=..][,threads=..]", "CPU count and topology"},
        {"-m [size=]megs[,slots=n,maxmem=size]", "guest RAM (default 128M; a bare number is in MiB)"},
        {"-name [guest=]name[,process=..][,debug-threads=on|off]", "name the guest"},
        {"-boot [order=]drives[,once=drives][,menu=on|off][,...]", "boot order: a/b floppy, c disk, d CD-ROM, n network"},
        {"-kernel file", "boot this kernel image directly"},
        {"-initrd file", "initial RAM disk for -kernel"},
        {"-append cmdline", "kernel command line for -kernel"},
        {"-bios file", "use this firmware image"},
        {"-L path", "add a directory to search for firmware ('-L help' lists them)"},
        {"-device driver[,prop=value[,...]]", "add a device ('-device help', '-device driver,help')"},
        {"-global driver.prop=value", "default value of a device property"},
        {"-chardev backend,id=id[,...]", "create a character device ('-chardev help')"},
        {"-serial dev", "connect the next serial port to dev (stdio, file:path, chardev:id, none, ...)"},
        {"-debugcon dev", "connect the ISA debug console (port 0xe9) to dev"},
        {"-monitor dev", "human monitor on dev ('none' disables the default one)"},
        {"-qmp dev", "QMP monitor on dev"},
        {"-qmp-pretty dev", "QMP monitor on dev with pretty-printed JSON"},
        {"-mon [chardev=]id[,mode=readline|control][,pretty=on|off]", "monitor on an existing -chardev"},
        {"-gdb dev", "wait for a GDB connection on dev"},
        {"-s", "same as -gdb tcp::1234"},
        {"-S", "do not start the CPUs (continue from the monitor or GDB)"},
        {"-drive [file=file][,if=type][,media=d][,...]", "add a drive"},
        {"-hda file", "use file as IDE hard disk 0"},
        {"-cdrom file", "use file as CD-ROM image"},
        {"-netdev type,id=id[,...]", "create a network backend"},
        {"-nic [type][,prop=value[,...]]", "create a NIC with its backend ('-nic none': no NIC)"},
        {"-display type[,...]", "select the display (none, sdl, gtk, curses, vnc=..., ...)"},
        {"-nographic", "no graphical output; serial and monitor on the console"},
        {"-vga type", "select the video card (std, cirrus, vmware, qxl, virtio, none, ...)"},
        {"-vnc display", "same as -display vnc=display"},
        {"-nodefaults", "create no default devices"},
        {"-no-reboot", "exit instead of rebooting"},
        {"-no-shutdown", "stop instead of exiting when the guest shuts down"},
        {"-no-hpet", "same as -machine hpet=off"},
        {"-rtc [base=utc|localtime|date][,clock=host|rt|vm][,driftfix=none|slew]", "configure the RTC"},
        {"-icount [shift=]N|auto[,align=on|off][,sleep=on|off][,rr=record|replay,rrfile=f]",
         "count instructions to drive virtual time"},
        {"-d item1,...", "enable logging of the given items ('-d help' for a list)"},
        {"-D logfile", "write the log to logfile (default stderr)"},
    };
    for (const auto& [left, right] : rows) print_row(out, left, right);
    return out;
}

std::string suboption_help(std::string_view option) {
    struct Row {
        std::string_view option, key, help;
    };
    static constexpr Row rows[] = {
        {"-m", "size=<size>", "initial RAM"}, {"-m", "slots=<num>", "memory hotplug slots"},
        {"-m", "maxmem=<size>", "maximum RAM with hotplug"},
        {"-smp", "cpus=<num>", "CPUs present at start"}, {"-smp", "maxcpus=<num>", "maximum CPUs"},
        {"-smp", "sockets=<num>", ""}, {"-smp", "dies=<num>", "dies per socket"},
        {"-smp", "cores=<num>", "cores per die"}, {"-smp", "threads=<num>", "threads per core"},
        {"-boot", "order=<drives>", "a/b floppy, c disk, d CD-ROM, n network"},
        {"-boot", "once=<drives>", "order for the first boot only"}, {"-boot", "menu=<bool>", ""},
        {"-boot", "splash=<file>", ""}, {"-boot", "splash-time=<ms>", ""},
        {"-boot", "reboot-timeout=<ms>", ""}, {"-boot", "strict=<bool>", ""},
        {"-name", "guest=<str>", "the guest's name"}, {"-name", "process=<str>", "the process name"},
        {"-name", "debug-threads=<bool>", "name the individual threads"},
        {"-mon", "chardev=<str>", ""}, {"-mon", "mode=readline|control", ""}, {"-mon", "pretty=<bool>", ""},
        {"-rtc", "base=utc|localtime|<date>", ""}, {"-rtc", "clock=host|rt|vm", ""},
        {"-rtc", "driftfix=none|slew", ""},
        {"-icount", "shift=<num>|auto", ""}, {"-icount", "align=<bool>", ""}, {"-icount", "sleep=<bool>", ""},
        {"-icount", "rr=record|replay", ""}, {"-icount", "rrfile=<file>", ""},
        {"-icount", "rrsnapshot=<name>", ""},
    };
    std::string out;
    for (const Row& r : rows)
        if (r.option == option) print_row(out, "  " + std::string(r.key), r.help);
    return out.empty() ? out : std::string(option.substr(1)) + " options:\n" + out;
}

}  // namespace vireo
