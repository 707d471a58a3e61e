// Command-line layer: the qemu-system-x86_64 (7.2) command line, parsed into a VmConfig.
//
// Users type the same command lines as for QEMU, so the syntax rules here are QEMU's:
//   * docs/system/invocation (qemu-options.hx) for each option and its sub-options;
//   * the QemuOpts "key=value,..." rules (util/qemu-option.c's documented behaviour) for most
//     options, and the stricter keyval rules (util/keyval.c's header comment) for -machine;
//   * QEMU's own error wording where it has one ("-foo: invalid option",
//     "-m: requires an argument", "Parameter 'x' expects ..."), always on one line and always
//     prefixed with the option as typed plus its argument ("-m 12Q: ..."), like QEMU's
//     error location.
// Parsing is purely syntactic/semantic; whether Vireo implements what was asked for is a
// separate step, reject_unsupported(), so that nothing is ever silently ignored.
#pragma once
#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vireo {

// A command-line error. what() has no "vireo: " prefix: main prints "vireo: " + what() and
// exits with status 1, as QEMU does for every option error.
struct OptionError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// ---------------------------------------------------------------------------------------------
// key=value lists

struct KeyValue {
    std::string key;
    std::string value;
};

// The two key=value dialects QEMU uses on its command line.
enum class KeyValueSyntax {
    // QemuOpts (-device, -chardev, -m, -smp, -boot, -name, -mon, -accel, -rtc, -icount, ...):
    //  - items are separated by ','; ",," inside a value stands for one literal ','; a trailing
    //    ',' is allowed;
    //  - "key=value" sets key; the value runs to the next single ',';
    //  - with an implied key, a first item without '=' is its value ("-device e1000,..." is
    //    driver=e1000); that value may itself contain ",," and '=' ("-name a,,b=c" names the
    //    guest "a,b=c");
    //  - any other item without '=' is a flag: "foo" means foo=on and "nofoo" means foo=off
    //    (QEMU 7.2 warns that this short form is deprecated; see KeyValues::flags());
    //  - a bare "help" or "?" item is a help request, not a key;
    //  - the same key may be given several times; the last one counts.
    QemuOpts,
    // keyval (-machine in QEMU 7.2):
    //  - same ',' / ",," / trailing ',' rules for values;
    //  - only the first item may omit "key=", and only when there is an implied key; such an
    //    implied value cannot contain ',' or '=';
    //  - any other item without '=' is an error ("Expected '=' after parameter 'foo'"), except
    //    a bare "help" or "?", which is a help request;
    //  - keys are '.'-separated fragments, each a name starting with a letter or all digits;
    //    a key used both as a value and as a prefix ("smp=2,smp.cpus=2") is an error.
    Keyval,
};

// An ordered key=value list, duplicates kept in order (so that lists given by several
// occurrences of one option can be merged by appending, as QEMU merges them). Look-ups
// return the last occurrence, as QemuOpts' qemu_opt_get() does.
class KeyValues {
public:
    const std::vector<KeyValue>& entries() const { return entries_; }
    bool empty() const { return entries_.empty(); }
    size_t size() const { return entries_.size(); }

    bool has(std::string_view key) const;
    std::optional<std::string> get(std::string_view key) const;  // last occurrence
    std::string get_or(std::string_view key, std::string_view fallback) const;

    // Typed look-ups; an invalid value throws OptionError in QEMU's wording
    // ("Parameter 'gl' expects 'on' or 'off'"). Absent keys give the fallback.
    // Booleans: on/yes/true/y and off/no/false/n (qapi_bool_parse, as QEMU 7.2 accepts).
    bool get_bool(std::string_view key, bool fallback = false) const;
    // Sizes: parse_size() with the default suffix 'B' (QemuOpts' size type).
    uint64_t get_size(std::string_view key, uint64_t fallback = 0) const;
    // Non-negative integers, C syntax (decimal, 0x hex, 0 octal) like QemuOpts' number type.
    uint64_t get_number(std::string_view key, uint64_t fallback = 0) const;

    void add(std::string key, std::string value);  // append (a later occurrence wins)
    void erase(std::string_view key);               // remove every occurrence
    void append(const KeyValues& more);             // merge another list after this one

    // A bare "help" or "?" item was given.
    bool help_requested() const { return help_; }
    // Short-form boolean items as written ("server", "nowait"), in order; QEMU 7.2 accepts
    // them with a deprecation warning.
    const std::vector<std::string>& flags() const { return flags_; }

private:
    friend KeyValues parse_keyvalues(std::string_view, std::string_view, KeyValueSyntax);
    std::vector<KeyValue> entries_;
    std::vector<std::string> flags_;
    bool help_ = false;
};

// Parses a key=value list. Errors are thrown without the option prefix
// (e.g. "Invalid parameter ''"); parse_command_line() adds it.
KeyValues parse_keyvalues(std::string_view text, std::string_view implied_key = {},
                          KeyValueSyntax syntax = KeyValueSyntax::QemuOpts);

// A size in bytes, as QEMU's qemu_strtosz() reads it: a decimal number (a fraction such as
// "1.5G" is allowed when a multiplier applies), or a hexadecimal "0x..." number without
// fraction or suffix, optionally followed by one suffix B, K, M, G, T, P or E (either case,
// powers of 1024). Without a suffix, default_suffix applies ('B' = bytes, 'M' = MiB, ...).
// Negative numbers, exponents and trailing junk are errors, as is a value of 2^64 or more.
uint64_t parse_size(std::string_view text, char default_suffix = 'B');

// ---------------------------------------------------------------------------------------------
// Character device shorthands (-serial, -monitor, -qmp, -gdb, -debugcon), as listed under
// "-serial dev" in QEMU's documentation.

struct CharShorthand {
    bool none = false;         // "none": no device at all
    std::string chardev_id;    // "chardev:ID": an existing -chardev
    bool mux_monitor = false;  // "mon:DEV": DEV multiplexed with a monitor
    // The -chardev backend it stands for: vc, pty, null, file, pipe, stdio, serial (/dev/tty*),
    // parallel (/dev/parport*), udp, socket (tcp:, telnet:, websocket:, unix:), braille,
    // msmouse, wctablet, testdev. Empty for none and chardev:.
    std::string backend;
    std::string target;  // what follows "file:", "tcp:", "vc:", ...; the path for /dev/...
};

// Throws OptionError "'foo' is not a valid char driver" for anything QEMU would not accept.
CharShorthand parse_char_shorthand(std::string_view spec);

// ---------------------------------------------------------------------------------------------
// -d log items

struct LogItem {
    std::string_view name;
    std::string_view help;
};

// The items Vireo implements: in_asm, exec, int, cpu, mmu, guest_errors, unimp, nochain.
std::span<const LogItem> known_log_items();

// Splits a -d argument on ',' and checks each item against `known`. Items QEMU 7.2 knows but
// `known` lacks (out_asm, op, fpu, trace:..., ...) give "-d: log item 'x' not supported yet";
// anything else "-d: unknown log item 'x'". "help" / "?" are not items: callers check for them.
std::vector<std::string> parse_log_items(std::string_view text,
                                         std::span<const LogItem> known = known_log_items());

std::string log_items_help(std::span<const LogItem> known = known_log_items());

// ---------------------------------------------------------------------------------------------
// The parsed command line

// -chardev BACKEND,id=ID[,...]
struct ChardevSpec {
    std::string backend;  // implied key "backend"
    std::string id;       // required, a well-formed identifier, unique among chardevs
    KeyValues props;      // everything else, in order (backend and id removed)
    std::string raw;      // the argument as typed
};

// -device DRIVER[,prop=value,...]
struct DeviceSpec {
    std::string driver;  // implied key "driver"
    std::string id;      // optional; when given a well-formed identifier, unique among devices
    KeyValues props;     // everything else, in order (driver and id removed)
    std::string raw;
};

// -global DRIVER.PROP=VALUE  or  -global driver=DRIVER,property=PROP,value=VALUE
struct GlobalProp {
    std::string driver;
    std::string property;
    std::string value;
    std::string raw;
};

// A monitor: -monitor DEV, -qmp DEV, -qmp-pretty DEV or -mon [chardev=]ID[,mode=..][,pretty=..].
// QEMU turns -monitor/-qmp into a chardev plus a -mon; both forms are kept here.
struct MonitorSpec {
    std::string option;    // "-monitor", "-qmp", "-qmp-pretty" or "-mon"
    std::string chardev;   // a -chardev id: from -mon chardev=ID or DEV = "chardev:ID"
    std::string device;    // otherwise the chardev shorthand DEV ("stdio", "tcp::4444,server=on")
    std::string mode;      // "readline" (HMP) or "control" (QMP)
    bool pretty = false;   // pretty-printed QMP JSON
    std::string raw;
};

// The CPU topology after QEMU's -smp defaulting rules (see parse_command_line()).
struct SmpConfig {
    unsigned cpus = 1;      // CPUs present at start
    unsigned sockets = 1;
    unsigned dies = 1;      // dies per socket (x86 PC machines support dies)
    unsigned clusters = 1;  // not supported on x86: always 1
    unsigned cores = 1;     // cores per die
    unsigned threads = 1;   // threads per core
    unsigned max_cpus = 1;  // sockets * dies * clusters * cores * threads
};

// A valid QEMU option that Vireo does not model (e.g. -snapshot); reject_unsupported()
// always refuses it.
struct UnmodelledOption {
    std::string option;  // canonical spelling, e.g. "-snapshot"
    std::string arg;     // its argument, if it takes one
};

inline constexpr uint64_t kDefaultRamSize = 128ull << 20;  // QEMU's PC default: 128 MiB

struct VmConfig {
    // -machine / -M [type=]NAME[,prop=value...] (keyval syntax). Several -machine merge, a later
    // value winning. kernel=, initrd=, append=, firmware= and accel= are the same settings as
    // -kernel, -initrd, -append, -bios and -accel-by-machine, and land in those fields instead;
    // smp.X= lands in smp; -no-hpet is hpet=off (QEMU 7.2 makes it a machine property).
    std::string machine_type;  // "" = default machine
    KeyValues machine_props;

    // -cpu MODEL[,feature...]: "+f" = f=on and "-f" = f=off (legacy forms, applied after the
    // key=value ones as QEMU does, so they are placed last), bare "f" = f=on.
    std::string cpu_model;  // "" = machine default
    KeyValues cpu_props;

    // -m [size=]MEGS[,slots=N,maxmem=SIZE]. A size ending in a digit is in MiB; 0 or absent means
    // the default; the result is rounded up to a multiple of 8 KiB, as QEMU does.
    uint64_t ram_size = kDefaultRamSize;
    uint64_t max_ram_size = 0;  // maxmem=, 0 when not given (no memory hotplug)
    uint64_t ram_slots = 0;     // slots=

    // -smp (several merge, a later key winning), topology computed once everything is read.
    SmpConfig smp;

    std::string kernel;  // -kernel
    std::string initrd;  // -initrd (QEMU: only allowed with -kernel)
    std::string append;  // -append (QEMU: only allowed with -kernel)
    std::string bios;    // -bios
    std::vector<std::string> data_dirs;  // -L, in order

    std::string name;       // -name [guest=]NAME
    KeyValues name_props;   // process=, debug-threads=

    // -boot [order=]DRIVES[,once=DRIVES][,menu=on|off][,splash=..][,splash-time=..]
    //       [,reboot-timeout=..][,strict=on|off]; drives: a/b floppy, c disk, d CD-ROM, n network.
    KeyValues boot;

    std::vector<ChardevSpec> chardevs;  // -chardev
    // -serial DEV, raw, in order. "none" entries take no port (QEMU skips them), so the n-th
    // entry that is not "none" is serial port n. Empty: machine default (see nodefaults).
    std::vector<std::string> serials;
    std::vector<std::string> debugcons;  // -debugcon DEV (ISA debug console, port 0xe9)
    std::vector<MonitorSpec> monitors;   // -monitor, -qmp, -qmp-pretty, -mon, in order
    // Any -monitor/-qmp/-mon (including "-monitor none") disables QEMU's default monitor.
    bool monitor_given = false;

    std::vector<DeviceSpec> devices;  // -device
    std::vector<GlobalProp> globals;  // -global

    bool nodefaults = false;  // -nodefaults: no default serial/parallel/monitor/VGA/NIC/...
    bool nographic = false;   // -nographic
    std::string display;      // -display, raw ("sdl,gl=on"); "" = default
    bool no_reboot = false;   // -no-reboot: exit instead of rebooting
    bool no_shutdown = false; // -no-shutdown: stop instead of exiting on guest shutdown

    std::string log_items_raw;           // -d, raw (the last -d wins, as in QEMU)
    std::vector<std::string> log_items;  // -d, split and checked against known_log_items()
    std::string log_file;                // -D

    // Accelerators to try, in order, each with key "accel" plus its properties: from -accel,
    // or else from -machine accel=A:B:... or -enable-kvm (which is machine accel=kvm).
    // Empty: the default (tcg).
    std::vector<KeyValues> accels;
    bool enable_kvm = false;  // -enable-kvm was given

    bool start_paused = false;  // -S
    std::string gdb;            // gdbstub chardev shorthand: -s = "tcp::1234", -gdb DEV; "" = none
    std::string gdb_option;     // "-s" or "-gdb": which one set it

    std::vector<std::string> drives;  // -drive, raw
    std::string hda;                  // -hda, or a bare disk image argument
    std::string cdrom;                // -cdrom
    std::vector<std::string> nics;    // -nic, raw
    std::vector<std::string> netdevs; // -netdev, raw
    std::string vga;                  // -vga TYPE; "" = default
    std::string vnc;                  // -vnc, raw

    KeyValues rtc;     // -rtc [base=utc|localtime|DATE][,clock=host|rt|vm][,driftfix=none|slew]
    KeyValues icount;  // -icount [shift=]N|auto[,align=..][,sleep=..][,rr=..][,rrfile=..]...

    std::vector<UnmodelledOption> unmodelled;  // valid QEMU options Vireo does not model
    std::vector<std::string> warnings;         // non-fatal, QEMU-style; main prints each

    // Help / listing requests. QEMU answers -h/-help/-version and -machine help at once, so
    // parsing stops there (the rest of the line is still checked for unknown options).
    // The others are answered after the whole line parsed cleanly; QEMU's priority between
    // them is: d_help (QEMU exits 1 after it), cpu_help, device_help / device_props_help,
    // option_help.
    bool version = false;                // -version
    bool help = false;                   // -h, -help
    bool machine_help = false;           // -machine help | -machine ?
    std::string machine_props_help;      // -machine TYPE,help: TYPE
    bool d_help = false;                 // -d help | -d ?
    bool cpu_help = false;               // -cpu help | -cpu ?
    bool device_help = false;            // -device help | -device ?
    std::string device_props_help;       // -device NAME,help: NAME
    std::vector<std::string> option_help;  // other "help": "-accel", "-chardev", "-vga", "-L",
                                           // "-display", "-boot", "-name", ... (suboption_help)

    bool wants_help() const;  // any of the above
};

// Parses argv (argv[0] is the program name). Throws OptionError with one clear line.
// Like QEMU (softmmu/vl.c's two passes): first every option name and argument count is checked
// ("-foo: invalid option", "-m: requires an argument"); then options are processed in order.
// Both "-opt" and "--opt" are accepted; "-opt=value" is not (QEMU: invalid option). An
// argument not starting with '-' is a disk image, as with -hda.
//
// -smp defaulting (QEMU >= 6.2 documentation of -smp): parameters must be > 0; omitted ones are
// computed from the given ones, preferring cores over sockets over threads:
//   nothing but topology given: missing sockets/cores/threads are 1, maxcpus = their product;
//   otherwise maxcpus defaults to cpus, then a missing cores (or, if cores is given, a missing
//   sockets, then threads) is maxcpus divided by the others; cpus defaults to maxcpus.
// The product must equal maxcpus and maxcpus must be >= cpus. Dies default to 1; clusters are
// not supported on x86.
VmConfig parse_command_line(int argc, char** argv);

// What this build of Vireo implements; filled in by the rest of Vireo. A default-constructed
// Capabilities accepts only the core options (-m, -smp, -name, -L, -d, -D, -nodefaults,
// -nographic and the help/version requests). An empty set rejects its option outright.
struct Capabilities {
    std::set<std::string, std::less<>> machine_types;     // -machine TYPE
    std::set<std::string, std::less<>> cpu_models;        // -cpu MODEL
    std::set<std::string, std::less<>> accelerators;      // -accel NAME ("kvm": -enable-kvm)
    std::set<std::string, std::less<>> device_types;      // -device DRIVER
    std::set<std::string, std::less<>> chardev_backends;  // -chardev and every shorthand DEV
    std::set<std::string, std::less<>> display_types;     // -display TYPE ("none" always OK)
    std::set<std::string, std::less<>> vga_types;         // -vga TYPE ("none" always OK)
    unsigned max_cpus = 0;      // -smp limit for the machine; 0 = no check
    unsigned serial_ports = 0;  // how many -serial ports exist
    bool kernel_boot = false;   // -kernel / -initrd / -append
    bool bios_file = false;     // -bios
    bool boot_options = false;  // -boot
    bool globals = false;       // -global
    bool monitor = false;       // HMP: -monitor, -mon mode=readline
    bool qmp = false;           // QMP: -qmp, -qmp-pretty, -mon mode=control
    bool gdb = false;           // -gdb, -s
    bool debugcon = false;      // -debugcon
    bool vnc = false;           // -vnc, -display vnc=...
    bool netdev = false;        // -netdev, -nic ("-nic none" always OK)
    bool drive = false;         // -drive, -hda, -cdrom, bare disk images
    bool icount = false;        // -icount
    bool rtc = false;           // -rtc
    bool start_paused = false;  // -S
    bool no_reboot = false;     // -no-reboot
    bool no_shutdown = false;   // -no-shutdown
};

// Throws OptionError for the first thing in `config` this build cannot do, e.g.
// "-vnc: not supported yet" when a whole subsystem is missing, or
// "-device foo: device 'foo' is unknown or not supported yet" for one missing piece.
// Options that only disable something (-vga none, -nic none, -serial none, -display none,
// -monitor none, -gdb none) are always accepted.
void reject_unsupported(const VmConfig& config, const Capabilities& caps);

std::string help_text();     // -help: usage line, then one line per option
std::string version_text();  // -version
// Sub-option list for "-boot help", "-name x,help", "-m help"... ("" when not known here).
std::string suboption_help(std::string_view option);

}  // namespace vireo
