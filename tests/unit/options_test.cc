// Tests of the command-line layer (softmmu/options.h) against qemu-system-x86_64 7.2's
// documented and observed behaviour.
#include "softmmu/options.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

namespace vireo {
namespace {

// Runs parse_command_line on "vireo ARGS...".
VmConfig parse(std::initializer_list<std::string> args) {
    std::vector<std::string> storage{"vireo"};
    storage.insert(storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& s : storage) argv.push_back(s.data());
    argv.push_back(nullptr);
    return parse_command_line(int(storage.size()), argv.data());
}

// The OptionError message of parsing ARGS ("" when it parses).
std::string error_of(std::initializer_list<std::string> args) {
    try {
        parse(args);
    } catch (const OptionError& e) {
        std::string msg = e.what();
        EXPECT_EQ(msg.find('\n'), std::string::npos) << "message must be one line: " << msg;
        EXPECT_NE(msg.rfind("vireo: ", 0), 0u) << "message must not carry the program prefix: " << msg;
        return msg;
    }
    return "";
}

std::vector<std::pair<std::string, std::string>> pairs(const KeyValues& kv) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const KeyValue& e : kv.entries()) out.emplace_back(e.key, e.value);
    return out;
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

// ---------------------------------------------------------------------------------------------
// QemuOpts key=value rules

TEST(KeyValues, ImpliedKeyTakesFirstBareItem) {
    EXPECT_EQ(pairs(parse_keyvalues("e1000,mac=52:54:00:12:34:56", "driver")),
              (Pairs{{"driver", "e1000"}, {"mac", "52:54:00:12:34:56"}}));
    // Explicit form is the same thing.
    EXPECT_EQ(pairs(parse_keyvalues("driver=e1000", "driver")), (Pairs{{"driver", "e1000"}}));
    // Only the first item can be implied: later bare items are flags.
    EXPECT_EQ(pairs(parse_keyvalues("a,b", "guest")), (Pairs{{"guest", "a"}, {"b", "on"}}));
    // An empty first item is an empty implied value (QEMU: "-name ,guest=x" names the guest x).
    EXPECT_EQ(pairs(parse_keyvalues(",guest=x", "guest")), (Pairs{{"guest", ""}, {"guest", "x"}}));
    EXPECT_EQ(parse_keyvalues(",guest=x", "guest").get("guest"), "x");
}

TEST(KeyValues, DoubleCommaEscapesComma) {
    EXPECT_EQ(pairs(parse_keyvalues("file=a,,b.img,if=none")), (Pairs{{"file", "a,b.img"}, {"if", "none"}}));
    EXPECT_EQ(pairs(parse_keyvalues("path=x,,,,y")), (Pairs{{"path", "x,,y"}}));
    // In an implied value too, and there '=' is allowed ("-name a,,b=c" names the guest "a,b=c").
    EXPECT_EQ(pairs(parse_keyvalues("foo,,bar", "guest")), (Pairs{{"guest", "foo,bar"}}));
    EXPECT_EQ(pairs(parse_keyvalues("a,,b=c", "guest")), (Pairs{{"guest", "a,b=c"}}));
    // A trailing ",," is a literal comma; a trailing single ',' is allowed and ignored.
    EXPECT_EQ(pairs(parse_keyvalues("a,,", "guest")), (Pairs{{"guest", "a,"}}));
    EXPECT_EQ(pairs(parse_keyvalues("a=1,")), (Pairs{{"a", "1"}}));
    // '=' inside a value is just a character.
    EXPECT_EQ(pairs(parse_keyvalues("append=console=ttyS0")), (Pairs{{"append", "console=ttyS0"}}));
}

TEST(KeyValues, BareKeyIsOnAndNoPrefixIsOff) {
    KeyValues kv = parse_keyvalues("socket,id=c,server,nowait", "backend");
    EXPECT_EQ(pairs(kv), (Pairs{{"backend", "socket"}, {"id", "c"}, {"server", "on"}, {"wait", "off"}}));
    EXPECT_EQ(kv.flags(), (std::vector<std::string>{"server", "nowait"}));
    EXPECT_TRUE(kv.get_bool("server"));
    EXPECT_FALSE(kv.get_bool("wait", true));
    // Without an implied key the first bare item is a flag as well.
    EXPECT_EQ(pairs(parse_keyvalues("snapshot")), (Pairs{{"snapshot", "on"}}));
}

TEST(KeyValues, HelpItemsAreRequestsNotKeys) {
    KeyValues kv = parse_keyvalues("isa-debug-exit,help", "driver");
    EXPECT_TRUE(kv.help_requested());
    EXPECT_EQ(pairs(kv), (Pairs{{"driver", "isa-debug-exit"}}));
    EXPECT_TRUE(parse_keyvalues("x,?", "driver").help_requested());
    // In the implied position "help" is a value (QEMU: "-name help" names the guest "help").
    KeyValues named = parse_keyvalues("help", "guest");
    EXPECT_FALSE(named.help_requested());
    EXPECT_EQ(named.get("guest"), "help");
    // Without an implied key it is a request.
    EXPECT_TRUE(parse_keyvalues("help").help_requested());
    // "help=on" is an ordinary key.
    EXPECT_FALSE(parse_keyvalues("help=on").help_requested());
}

TEST(KeyValues, LastOccurrenceWinsAndOrderIsKept) {
    KeyValues kv = parse_keyvalues("b=1,a=2,b=3");
    EXPECT_EQ(pairs(kv), (Pairs{{"b", "1"}, {"a", "2"}, {"b", "3"}}));
    EXPECT_EQ(kv.get("b"), "3");
    EXPECT_EQ(kv.get("a"), "2");
    EXPECT_FALSE(kv.get("c").has_value());
    EXPECT_TRUE(kv.has("a"));
    EXPECT_FALSE(kv.has("c"));
    EXPECT_EQ(kv.get_or("c", "dflt"), "dflt");
    kv.erase("b");
    EXPECT_EQ(pairs(kv), (Pairs{{"a", "2"}}));
    KeyValues more = parse_keyvalues("a=9");
    kv.append(more);
    EXPECT_EQ(kv.get("a"), "9");
}

TEST(KeyValues, EmptyInputIsEmpty) {
    EXPECT_TRUE(parse_keyvalues("").empty());
    EXPECT_TRUE(parse_keyvalues("", "driver").empty());
}

TEST(KeyValues, Booleans) {
    KeyValues kv = parse_keyvalues("a=on,b=yes,c=true,d=y,e=off,f=no,g=false,h=n,i=maybe,j=ON");
    for (const char* k : {"a", "b", "c", "d"}) EXPECT_TRUE(kv.get_bool(k)) << k;
    for (const char* k : {"e", "f", "g", "h"}) EXPECT_FALSE(kv.get_bool(k, true)) << k;
    EXPECT_TRUE(kv.get_bool("absent", true));
    EXPECT_FALSE(kv.get_bool("absent"));
    try {
        kv.get_bool("i");
        FAIL() << "maybe accepted";
    } catch (const OptionError& e) {
        EXPECT_STREQ(e.what(), "Parameter 'i' expects 'on' or 'off'");
    }
    EXPECT_THROW(kv.get_bool("j"), OptionError);  // case matters, as in QEMU
}

TEST(KeyValues, SizesAndNumbers) {
    KeyValues kv = parse_keyvalues("a=4096,b=64K,c=2M,d=1G,e=1T,f=12Q,g=0x10,h=010,i=-1,j=x");
    EXPECT_EQ(kv.get_size("a"), 4096u);  // QemuOpts sizes default to bytes
    EXPECT_EQ(kv.get_size("b"), 64u << 10);
    EXPECT_EQ(kv.get_size("c"), 2u << 20);
    EXPECT_EQ(kv.get_size("d"), 1ull << 30);
    EXPECT_EQ(kv.get_size("e"), 1ull << 40);
    EXPECT_EQ(kv.get_size("absent", 7), 7u);
    try {
        kv.get_size("f");
        FAIL();
    } catch (const OptionError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("Parameter 'f' expects a non-negative number below 2^64", 0), 0u) << e.what();
    }
    EXPECT_EQ(kv.get_number("g"), 16u);  // C syntax, like QemuOpts numbers
    EXPECT_EQ(kv.get_number("h"), 8u);
    EXPECT_EQ(kv.get_number("a"), 4096u);
    EXPECT_THROW(kv.get_number("i"), OptionError);
    try {
        kv.get_number("j");
        FAIL();
    } catch (const OptionError& e) {
        EXPECT_STREQ(e.what(), "Parameter 'j' expects a number");
    }
}

TEST(KeyValues, EmptyKeyIsInvalidInParsedOptions) {
    EXPECT_EQ(error_of({"-name", "a,=b"}), "-name a,=b: Invalid parameter ''");
    EXPECT_EQ(error_of({"-rtc", ",base=utc"}), "-rtc ,base=utc: Invalid parameter ''");
}

// ---------------------------------------------------------------------------------------------
// keyval rules (-machine, -smp, -boot)

TEST(Keyval, ImpliedOnlyFirstAndNoBareKeys) {
    EXPECT_EQ(pairs(parse_keyvalues("q35,usb=on", "type", KeyValueSyntax::Keyval)),
              (Pairs{{"type", "q35"}, {"usb", "on"}}));
    try {
        parse_keyvalues("q35,foo", "type", KeyValueSyntax::Keyval);
        FAIL();
    } catch (const OptionError& e) {
        EXPECT_STREQ(e.what(), "Expected '=' after parameter 'foo'");
    }
    try {
        parse_keyvalues("usb=on,q35", "type", KeyValueSyntax::Keyval);
        FAIL();
    } catch (const OptionError& e) {
        EXPECT_STREQ(e.what(), "Expected '=' after parameter 'q35'");
    }
    // The implied value cannot hold ",," (QEMU: "-M q35,,a" is "Invalid parameter ''").
    EXPECT_THROW(parse_keyvalues("q35,,a", "type", KeyValueSyntax::Keyval), OptionError);
    // Values can.
    EXPECT_EQ(parse_keyvalues("type=a,,b", "type", KeyValueSyntax::Keyval).get("type"), "a,b");
}

TEST(Keyval, HelpAnywhereAndKeyChecks) {
    EXPECT_TRUE(parse_keyvalues("help", "type", KeyValueSyntax::Keyval).help_requested());
    EXPECT_TRUE(parse_keyvalues("?", "cpus", KeyValueSyntax::Keyval).help_requested());
    KeyValues kv = parse_keyvalues("q35,help", "type", KeyValueSyntax::Keyval);
    EXPECT_TRUE(kv.help_requested());
    EXPECT_EQ(kv.get("type"), "q35");
    EXPECT_EQ(pairs(parse_keyvalues("smp.cpus=2,cxl-fmw.0.size=4G", {}, KeyValueSyntax::Keyval)),
              (Pairs{{"smp.cpus", "2"}, {"cxl-fmw.0.size", "4G"}}));
    for (const char* bad : {"0a=1", "_a=1", "a..b=1", "=1"}) {
        EXPECT_THROW(parse_keyvalues(bad, {}, KeyValueSyntax::Keyval), OptionError) << bad;
    }
    try {
        parse_keyvalues("smp.cpus=2,smp=3", {}, KeyValueSyntax::Keyval);
        FAIL();
    } catch (const OptionError& e) {
        EXPECT_STREQ(e.what(), "Parameters 'smp.*' used inconsistently");
    }
}

// ---------------------------------------------------------------------------------------------
// Sizes

TEST(ParseSize, SuffixesAndDefaults) {
    EXPECT_EQ(parse_size("128", 'M'), 128ull << 20);
    EXPECT_EQ(parse_size("128"), 128u);
    EXPECT_EQ(parse_size("1G", 'M'), 1ull << 30);
    EXPECT_EQ(parse_size("512M"), 512ull << 20);
    EXPECT_EQ(parse_size("512m"), 512ull << 20);
    EXPECT_EQ(parse_size("4k"), 4096u);
    EXPECT_EQ(parse_size("4K"), 4096u);
    EXPECT_EQ(parse_size("2T"), 2ull << 40);
    EXPECT_EQ(parse_size("1P"), 1ull << 50);
    EXPECT_EQ(parse_size("15E"), 15ull << 60);
    EXPECT_EQ(parse_size("100B", 'G'), 100u);
    EXPECT_EQ(parse_size("0"), 0u);
    EXPECT_EQ(parse_size("18446744073709551615"), UINT64_MAX);
}

TEST(ParseSize, FractionsAndHex) {
    EXPECT_EQ(parse_size("1.5G"), 3ull << 29);
    EXPECT_EQ(parse_size("1.5k"), 1536u);
    EXPECT_EQ(parse_size("0.5K"), 512u);
    EXPECT_EQ(parse_size("1.k"), 1024u);          // QEMU: "even 1.k works"
    EXPECT_EQ(parse_size("1.0009765625K"), 1025u);
    EXPECT_EQ(parse_size("0.0001K"), 0u);         // 0.1024 bytes rounds to 0
    EXPECT_EQ(parse_size("0.0005K"), 1u);         // 0.512 rounds half up
    EXPECT_EQ(parse_size("1.5", 'M'), 3ull << 19);
    EXPECT_EQ(parse_size("0x1000"), 4096u);
    EXPECT_EQ(parse_size("0XfF"), 255u);
}

TEST(ParseSize, Errors) {
    for (const char* bad : {"12Q", "", "-5", "1e3", "1.5", "1.5B", "0x", "0x10M", "0x1.8", ".5G", "1GG", " 1", "1 G",
                            "G", "1.5e3G"}) {
        EXPECT_THROW(parse_size(bad), OptionError) << "'" << bad << "'";
    }
    try {
        parse_size("12Q");
        FAIL();
    } catch (const OptionError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("invalid size '12Q': expected a non-negative number below 2^64", 0), 0u)
            << e.what();
    }
    try {
        parse_size("16E");
        FAIL();
    } catch (const OptionError& e) {
        EXPECT_NE(std::string(e.what()).find("out of range"), std::string::npos) << e.what();
    }
    EXPECT_THROW(parse_size("18446744073709551616"), OptionError);
    EXPECT_THROW(parse_size("0x10000000000000000"), OptionError);
}

// ---------------------------------------------------------------------------------------------
// Character device shorthands

TEST(CharShorthand, Forms) {
    EXPECT_TRUE(parse_char_shorthand("none").none);
    EXPECT_EQ(parse_char_shorthand("stdio").backend, "stdio");
    EXPECT_EQ(parse_char_shorthand("null").backend, "null");
    EXPECT_EQ(parse_char_shorthand("pty").backend, "pty");
    EXPECT_EQ(parse_char_shorthand("vc").backend, "vc");
    EXPECT_EQ(parse_char_shorthand("vc:80Cx24C").target, "80Cx24C");
    CharShorthand f = parse_char_shorthand("file:serial.log");
    EXPECT_EQ(f.backend, "file");
    EXPECT_EQ(f.target, "serial.log");
    EXPECT_EQ(parse_char_shorthand("pipe:/tmp/p").backend, "pipe");
    EXPECT_EQ(parse_char_shorthand("tcp::4444,server=on,wait=off").backend, "socket");
    EXPECT_EQ(parse_char_shorthand("telnet::4444,server=on").backend, "socket");
    EXPECT_EQ(parse_char_shorthand("unix:/tmp/s,server=on").backend, "socket");
    EXPECT_EQ(parse_char_shorthand("udp::4555@:4556").backend, "udp");
    EXPECT_EQ(parse_char_shorthand("/dev/ttyS0").backend, "serial");
    EXPECT_EQ(parse_char_shorthand("/dev/parport0").backend, "parallel");
    EXPECT_EQ(parse_char_shorthand("chardev:ser0").chardev_id, "ser0");
    CharShorthand m = parse_char_shorthand("mon:stdio");
    EXPECT_TRUE(m.mux_monitor);
    EXPECT_EQ(m.backend, "stdio");
    for (const char* bad : {"foo", "memory", "ringbuf", "mon:mon:stdio", "chardev:", "COM1"})
        EXPECT_THROW(parse_char_shorthand(bad), OptionError) << bad;
    try {
        parse_char_shorthand("foo");
    } catch (const OptionError& e) {
        EXPECT_STREQ(e.what(), "'foo' is not a valid char driver");
    }
}

// ---------------------------------------------------------------------------------------------
// -d log items

TEST(LogItems, KnownUnknownAndHelp) {
    EXPECT_EQ(parse_log_items("in_asm,int,exec,cpu,mmu,guest_errors,unimp,nochain"),
              (std::vector<std::string>{"in_asm", "int", "exec", "cpu", "mmu", "guest_errors", "unimp", "nochain"}));
    EXPECT_EQ(parse_log_items("int,int"), (std::vector<std::string>{"int"}));
    try {
        parse_log_items("in_asm,foo");
        FAIL();
    } catch (const OptionError& e) {
        EXPECT_STREQ(e.what(), "-d: unknown log item 'foo'");
    }
    try {
        parse_log_items("out_asm");
        FAIL();
    } catch (const OptionError& e) {
        EXPECT_STREQ(e.what(), "-d: log item 'out_asm' not supported yet");
    }
    EXPECT_THROW(parse_log_items(""), OptionError);
    EXPECT_THROW(parse_log_items("int,"), OptionError);  // QEMU: an empty item is unknown
    // A caller-supplied table.
    static constexpr LogItem mine[] = {{"foo", "a test item"}};
    EXPECT_EQ(parse_log_items("foo", mine), (std::vector<std::string>{"foo"}));
    EXPECT_THROW(parse_log_items("int", mine), OptionError);
    std::string help = log_items_help();
    for (const LogItem& item : known_log_items()) EXPECT_NE(help.find(item.name), std::string::npos) << item.name;
    EXPECT_EQ(known_log_items().size(), 8u);
}

// ---------------------------------------------------------------------------------------------
// Realistic command lines

TEST(CommandLine, DebugExitTestLine) {
    VmConfig c = parse({"-nodefaults", "-nographic", "-serial", "stdio", "-m", "128", "-device",
                        "isa-debug-exit,iobase=0xf4,iosize=0x4", "-kernel", "T.elf"});
    EXPECT_TRUE(c.nodefaults);
    EXPECT_TRUE(c.nographic);
    EXPECT_EQ(c.serials, (std::vector<std::string>{"stdio"}));
    EXPECT_EQ(c.ram_size, 128ull << 20);
    ASSERT_EQ(c.devices.size(), 1u);
    EXPECT_EQ(c.devices[0].driver, "isa-debug-exit");
    EXPECT_EQ(pairs(c.devices[0].props), (Pairs{{"iobase", "0xf4"}, {"iosize", "0x4"}}));
    EXPECT_EQ(c.devices[0].props.get_number("iobase"), 0xf4u);
    EXPECT_EQ(c.kernel, "T.elf");
    EXPECT_FALSE(c.wants_help());
    EXPECT_TRUE(c.warnings.empty());
}

TEST(CommandLine, LinuxBootLine) {
    VmConfig c = parse({"-M", "q35", "-m", "1G", "-nographic", "-kernel", "bzImage", "-initrd", "initrd.gz",
                        "-append", "console=ttyS0 quiet"});
    EXPECT_EQ(c.machine_type, "q35");
    EXPECT_TRUE(c.machine_props.empty());
    EXPECT_EQ(c.ram_size, 1ull << 30);
    EXPECT_EQ(c.kernel, "bzImage");
    EXPECT_EQ(c.initrd, "initrd.gz");
    EXPECT_EQ(c.append, "console=ttyS0 quiet");
}

TEST(CommandLine, DesktopLine) {
    VmConfig c = parse({"-machine", "q35", "-smp", "2", "-m", "4G", "-hda", "disk.img", "-nic",
                        "user,hostfwd=tcp::2222-:22,model=virtio", "-display", "sdl,gl=on", "-vga", "virtio",
                        "-cdrom", "x.iso", "-boot", "d"});
    EXPECT_EQ(c.machine_type, "q35");
    EXPECT_EQ(c.smp.cpus, 2u);
    EXPECT_EQ(c.smp.cores, 2u);  // since QEMU 6.2 cores are preferred over sockets
    EXPECT_EQ(c.smp.sockets, 1u);
    EXPECT_EQ(c.ram_size, 4ull << 30);
    EXPECT_EQ(c.hda, "disk.img");
    EXPECT_EQ(c.nics, (std::vector<std::string>{"user,hostfwd=tcp::2222-:22,model=virtio"}));
    EXPECT_EQ(c.display, "sdl,gl=on");
    EXPECT_EQ(c.vga, "virtio");
    EXPECT_EQ(c.cdrom, "x.iso");
    EXPECT_EQ(c.boot.get("order"), "d");
}

TEST(CommandLine, MonitorSocketLine) {
    VmConfig c = parse({"-chardev", "socket,id=mon0,path=/tmp/m.sock,server=on,wait=off", "-mon",
                        "chardev=mon0,mode=control", "-S", "-s"});
    ASSERT_EQ(c.chardevs.size(), 1u);
    EXPECT_EQ(c.chardevs[0].backend, "socket");
    EXPECT_EQ(c.chardevs[0].id, "mon0");
    EXPECT_EQ(pairs(c.chardevs[0].props), (Pairs{{"path", "/tmp/m.sock"}, {"server", "on"}, {"wait", "off"}}));
    ASSERT_EQ(c.monitors.size(), 1u);
    EXPECT_EQ(c.monitors[0].option, "-mon");
    EXPECT_EQ(c.monitors[0].chardev, "mon0");
    EXPECT_EQ(c.monitors[0].mode, "control");
    EXPECT_FALSE(c.monitors[0].pretty);
    EXPECT_TRUE(c.monitor_given);
    EXPECT_TRUE(c.start_paused);
    EXPECT_EQ(c.gdb, "tcp::1234");
    EXPECT_EQ(c.gdb_option, "-s");
}

TEST(CommandLine, Defaults) {
    VmConfig c = parse({});
    EXPECT_EQ(c.ram_size, 128ull << 20);  // QEMU's default for PC machines
    EXPECT_EQ(c.smp.cpus, 1u);
    EXPECT_EQ(c.smp.max_cpus, 1u);
    EXPECT_EQ(c.machine_type, "");
    EXPECT_EQ(c.cpu_model, "");
    EXPECT_FALSE(c.nodefaults || c.nographic || c.start_paused || c.no_reboot || c.no_shutdown || c.enable_kvm);
    EXPECT_TRUE(c.serials.empty() && c.devices.empty() && c.monitors.empty() && c.accels.empty());
    EXPECT_FALSE(c.wants_help());
}

// Every option of the list, each with QEMU's syntax, in one command line.
TEST(CommandLine, EveryListedOption) {
    VmConfig c = parse({
        "-machine", "pc,usb=off", "-cpu", "max,+x2apic,-vmx,level=13", "-m", "size=256M", "-smp",
        "4,sockets=2", "-kernel", "k", "-initrd", "i", "-append", "a b", "-serial", "file:s.log", "-serial",
        "none", "-chardev", "null,id=n0", "-device", "isa-serial,id=ser1,chardev=n0", "-global",
        "isa-serial.baud=9600", "-nodefaults", "-nographic", "-display", "none", "-no-reboot", "-no-shutdown",
        "-d", "in_asm,int", "-D", "log.txt", "-accel", "tcg,thread=single", "-S", "-gdb", "tcp::9000",
        "-monitor", "stdio", "-qmp", "unix:/tmp/q,server=on,wait=off", "-bios", "bios.bin", "-L", "/usr/share/x",
        "-L", "roms", "-name", "guest1,debug-threads=on", "-boot", "order=cd,menu=on", "-drive",
        "file=d.img,if=virtio", "-hda", "h.img", "-cdrom", "c.iso", "-nic", "none", "-netdev", "user,id=n1", "-vga",
        "std", "-vnc", ":1", "-debugcon", "file:dbg.log", "-mon", "chardev=n0", "-icount", "shift=4,align=on",
        "-rtc", "base=utc,clock=vm", "-no-hpet"});
    EXPECT_EQ(c.machine_type, "pc");
    EXPECT_EQ(pairs(c.machine_props), (Pairs{{"usb", "off"}, {"hpet", "off"}}));
    EXPECT_EQ(c.cpu_model, "max");
    EXPECT_EQ(pairs(c.cpu_props), (Pairs{{"level", "13"}, {"x2apic", "on"}, {"vmx", "off"}}));
    EXPECT_EQ(c.ram_size, 256ull << 20);
    EXPECT_EQ(c.smp.cpus, 4u);
    EXPECT_EQ(c.smp.sockets, 2u);
    EXPECT_EQ(c.smp.cores, 2u);
    EXPECT_EQ(c.kernel, "k");
    EXPECT_EQ(c.initrd, "i");
    EXPECT_EQ(c.append, "a b");
    EXPECT_EQ(c.serials, (std::vector<std::string>{"file:s.log", "none"}));
    ASSERT_EQ(c.chardevs.size(), 1u);
    EXPECT_EQ(c.chardevs[0].backend, "null");
    ASSERT_EQ(c.devices.size(), 1u);
    EXPECT_EQ(c.devices[0].id, "ser1");
    EXPECT_EQ(c.devices[0].props.get("chardev"), "n0");
    ASSERT_EQ(c.globals.size(), 1u);
    EXPECT_EQ(c.globals[0].driver, "isa-serial");
    EXPECT_EQ(c.globals[0].property, "baud");
    EXPECT_EQ(c.globals[0].value, "9600");
    EXPECT_TRUE(c.nodefaults);
    EXPECT_TRUE(c.nographic);
    EXPECT_EQ(c.display, "none");
    EXPECT_TRUE(c.no_reboot);
    EXPECT_TRUE(c.no_shutdown);
    EXPECT_EQ(c.log_items_raw, "in_asm,int");
    EXPECT_EQ(c.log_items, (std::vector<std::string>{"in_asm", "int"}));
    EXPECT_EQ(c.log_file, "log.txt");
    ASSERT_EQ(c.accels.size(), 1u);
    EXPECT_EQ(pairs(c.accels[0]), (Pairs{{"accel", "tcg"}, {"thread", "single"}}));
    EXPECT_TRUE(c.start_paused);
    EXPECT_EQ(c.gdb, "tcp::9000");
    EXPECT_EQ(c.gdb_option, "-gdb");
    ASSERT_EQ(c.monitors.size(), 3u);
    EXPECT_EQ(c.monitors[0].option, "-monitor");
    EXPECT_EQ(c.monitors[0].device, "stdio");
    EXPECT_EQ(c.monitors[0].mode, "readline");
    EXPECT_EQ(c.monitors[1].option, "-qmp");
    EXPECT_EQ(c.monitors[1].device, "unix:/tmp/q,server=on,wait=off");
    EXPECT_EQ(c.monitors[1].mode, "control");
    EXPECT_EQ(c.monitors[2].option, "-mon");
    EXPECT_EQ(c.monitors[2].chardev, "n0");
    EXPECT_EQ(c.monitors[2].mode, "readline");  // -mon's default mode
    EXPECT_EQ(c.bios, "bios.bin");
    EXPECT_EQ(c.data_dirs, (std::vector<std::string>{"/usr/share/x", "roms"}));
    EXPECT_EQ(c.name, "guest1");
    EXPECT_TRUE(c.name_props.get_bool("debug-threads"));
    EXPECT_EQ(c.boot.get("order"), "cd");
    EXPECT_TRUE(c.boot.get_bool("menu"));
    EXPECT_EQ(c.drives, (std::vector<std::string>{"file=d.img,if=virtio"}));
    EXPECT_EQ(c.hda, "h.img");
    EXPECT_EQ(c.cdrom, "c.iso");
    EXPECT_EQ(c.nics, (std::vector<std::string>{"none"}));
    EXPECT_EQ(c.netdevs, (std::vector<std::string>{"user,id=n1"}));
    EXPECT_EQ(c.vga, "std");
    EXPECT_EQ(c.vnc, ":1");
    EXPECT_EQ(c.debugcons, (std::vector<std::string>{"file:dbg.log"}));
    EXPECT_EQ(c.icount.get("shift"), "4");
    EXPECT_TRUE(c.icount.get_bool("align"));
    EXPECT_EQ(c.rtc.get("base"), "utc");
    EXPECT_EQ(c.rtc.get("clock"), "vm");
    EXPECT_TRUE(c.unmodelled.empty());
    EXPECT_FALSE(c.wants_help());
}

TEST(CommandLine, EnableKvmIsMachineAccelKvm) {
    VmConfig c = parse({"-enable-kvm"});
    EXPECT_TRUE(c.enable_kvm);
    ASSERT_EQ(c.accels.size(), 1u);
    EXPECT_EQ(c.accels[0].get("accel"), "kvm");
    VmConfig m = parse({"-M", "q35,accel=kvm:tcg"});
    ASSERT_EQ(m.accels.size(), 2u);
    EXPECT_EQ(m.accels[0].get("accel"), "kvm");
    EXPECT_EQ(m.accels[1].get("accel"), "tcg");
    EXPECT_FALSE(m.machine_props.has("accel"));
    VmConfig two = parse({"-accel", "kvm", "-accel", "tcg"});
    ASSERT_EQ(two.accels.size(), 2u);
    EXPECT_EQ(error_of({"-accel", "kvm", "-enable-kvm"}), "The -accel and \"-machine accel=\" options are incompatible");
    EXPECT_EQ(error_of({"-accel", "foo"}), "-accel foo: invalid accelerator foo");
    // QEMU warns about and skips unknown names in a machine accel= list.
    VmConfig skip = parse({"-M", "accel=foo:tcg"});
    ASSERT_EQ(skip.accels.size(), 1u);
    EXPECT_EQ(skip.warnings.size(), 1u);
}

TEST(CommandLine, MachineMergesAndHoistsSettings) {
    VmConfig c = parse({"-M", "q35,usb=on", "-machine", "usb=off,kernel=vmlinuz,append=ro,smp.cpus=2", "-no-hpet"});
    EXPECT_EQ(c.machine_type, "q35");
    EXPECT_EQ(c.machine_props.get("usb"), "off");
    EXPECT_EQ(c.machine_props.get("hpet"), "off");
    EXPECT_EQ(c.kernel, "vmlinuz");
    EXPECT_EQ(c.append, "ro");
    EXPECT_EQ(c.smp.cpus, 2u);
    EXPECT_EQ(parse({"-M", "q35", "-M", "pc"}).machine_type, "pc");
    // -kernel and -machine kernel= are one setting: the later wins.
    EXPECT_EQ(parse({"-M", "kernel=a", "-kernel", "b"}).kernel, "b");
    EXPECT_EQ(parse({"-kernel", "b", "-M", "kernel=a"}).kernel, "a");
    EXPECT_EQ(error_of({"-M", "q35,foo"}), "-M q35,foo: Expected '=' after parameter 'foo'");
    EXPECT_EQ(error_of({"-M", "q35,smp=2,smp.cpus=2"}), "-M q35,smp=2,smp.cpus=2: Parameters 'smp.*' used inconsistently");
}

TEST(CommandLine, DoubleDashSpellingAndNoEqualsForm) {
    VmConfig c = parse({"--m", "64", "--nographic", "--serial", "stdio"});
    EXPECT_EQ(c.ram_size, 64ull << 20);
    EXPECT_TRUE(c.nographic);
    EXPECT_EQ(c.serials.size(), 1u);
    // QEMU has no "-opt=value" form.
    EXPECT_EQ(error_of({"-m=128"}), "-m=128: invalid option");
    EXPECT_EQ(error_of({"--m=128"}), "--m=128: invalid option");
    EXPECT_EQ(error_of({"-nodefaults=1"}), "-nodefaults=1: invalid option");
    // Only one extra dash is dropped.
    EXPECT_EQ(error_of({"---m", "1"}), "---m: invalid option");
    EXPECT_EQ(error_of({"-"}), "-: invalid option");
    EXPECT_EQ(error_of({"--"}), "--: invalid option");
}

TEST(CommandLine, BareArgumentIsDiskImage) {
    VmConfig c = parse({"-m", "64", "disk.img", "-nographic"});
    EXPECT_EQ(c.hda, "disk.img");
    EXPECT_EQ(error_of({"a.img", "b.img"}), "b.img: drive with bus=0, unit=0 (index=0) exists");
    EXPECT_EQ(error_of({"-hda", "a.img", "-hda", "b.img"}), "-hda b.img: drive with bus=0, unit=0 (index=0) exists");
    EXPECT_EQ(error_of({"-cdrom", "a", "-cdrom", "b"}), "-cdrom b: drive with bus=1, unit=0 (index=2) exists");
}

TEST(CommandLine, OptionArgumentsMayLookLikeOptions) {
    VmConfig c = parse({"-append", "-foo", "-kernel", "k"});
    EXPECT_EQ(c.append, "-foo");
}

TEST(CommandLine, MemoryRules) {
    EXPECT_EQ(parse({"-m", "128"}).ram_size, 128ull << 20);  // a bare number is MiB
    EXPECT_EQ(parse({"-m", "512M"}).ram_size, 512ull << 20);
    EXPECT_EQ(parse({"-m", "1G"}).ram_size, 1ull << 30);
    EXPECT_EQ(parse({"-m", "1.5G"}).ram_size, 3ull << 29);
    EXPECT_EQ(parse({"-m", "size=2G"}).ram_size, 2ull << 30);
    EXPECT_EQ(parse({"-m", "0"}).ram_size, 128ull << 20);      // 0: the default
    EXPECT_EQ(parse({"-m", ""}).ram_size, 128ull << 20);
    EXPECT_EQ(parse({"-m", "1k"}).ram_size, 8192u);            // rounded up to 8 KiB
    EXPECT_EQ(parse({"-m", "2049k"}).ram_size, 2105344u);
    EXPECT_EQ(parse({"-m", "0x1000"}).ram_size, 4ull << 30);   // 0x1000 MiB, as QEMU 7.2
    EXPECT_EQ(parse({"-m", "128", "-m", "256"}).ram_size, 256ull << 20);
    VmConfig hot = parse({"-m", "1G,slots=2,maxmem=4G"});
    EXPECT_EQ(hot.ram_slots, 2u);
    EXPECT_EQ(hot.max_ram_size, 4ull << 30);
    VmConfig merged = parse({"-m", "1G", "-m", "slots=2", "-m", "maxmem=2G"});
    EXPECT_EQ(merged.ram_size, 1ull << 30);
    EXPECT_EQ(merged.ram_slots, 2u);
    EXPECT_EQ(error_of({"-m", "1G,slots=2"}), "-m 1G,slots=2: slots specified but no max-size");
    EXPECT_EQ(error_of({"-m", "1G,maxmem=512M"}),
              "-m 1G,maxmem=512M: invalid value of maxmem: maximum memory size (0x20000000) must be at least the "
              "initial memory size (0x40000000)");
    EXPECT_EQ(error_of({"-m", "64,foo=1"}), "-m 64,foo=1: Invalid parameter 'foo'");
    EXPECT_EQ(error_of({"-m", "slots=x"}), "-m slots=x: Parameter 'slots' expects a number");
    EXPECT_NE(error_of({"-m", "99999999999999"}).find("too large"), std::string::npos);
}

TEST(CommandLine, BadSizeMessages) {
    std::string expect = "-m 12Q: Parameter 'size' expects a non-negative number below 2^64";
    EXPECT_EQ(error_of({"-m", "12Q"}).rfind(expect, 0), 0u) << error_of({"-m", "12Q"});
    for (const char* bad : {"-5", "1.5", "1e3", "size=", "help"}) {
        std::string msg = error_of({"-m", bad});
        EXPECT_EQ(msg.rfind("-m " + std::string(bad) + ": Parameter 'size' expects", 0), 0u) << msg;
    }
    EXPECT_EQ(error_of({"-m", "17179869184G"}),
              "-m 17179869184G: Value '17179869184G' is out of range for parameter 'size'");
}

struct SmpCase {
    const char* arg;
    unsigned cpus, sockets, dies, cores, threads, max_cpus;
};

TEST(CommandLine, SmpDefaulting) {
    const SmpCase cases[] = {
        {"", 1, 1, 1, 1, 1, 1},
        {"1", 1, 1, 1, 1, 1, 1},
        {"8", 8, 1, 1, 8, 1, 8},                 // cores preferred (QEMU >= 6.2)
        {"cpus=8", 8, 1, 1, 8, 1, 8},
        {"8,sockets=2", 8, 2, 1, 4, 1, 8},
        {"8,cores=2", 8, 4, 1, 2, 1, 8},         // cores given: sockets computed
        {"8,sockets=2,cores=2", 8, 2, 1, 2, 2, 8},  // threads computed last
        {"8,threads=2", 8, 1, 1, 4, 2, 8},
        {"sockets=2", 2, 2, 1, 1, 1, 2},          // topology only: product
        {"sockets=2,cores=3,threads=2", 12, 2, 1, 3, 2, 12},
        {"2,maxcpus=8", 2, 1, 1, 8, 1, 8},
        {"maxcpus=8", 8, 1, 1, 8, 1, 8},
        {"4,dies=2", 4, 1, 2, 2, 1, 4},
        {"0x2", 2, 1, 1, 2, 1, 2},
        {"8,sockets=2,cores=2,threads=2,maxcpus=8", 8, 2, 1, 2, 2, 8},
        {"4,clusters=1", 4, 1, 1, 4, 1, 4},
    };
    for (const SmpCase& t : cases) {
        VmConfig c = parse({"-smp", t.arg});
        EXPECT_EQ(c.smp.cpus, t.cpus) << t.arg;
        EXPECT_EQ(c.smp.sockets, t.sockets) << t.arg;
        EXPECT_EQ(c.smp.dies, t.dies) << t.arg;
        EXPECT_EQ(c.smp.clusters, 1u) << t.arg;
        EXPECT_EQ(c.smp.cores, t.cores) << t.arg;
        EXPECT_EQ(c.smp.threads, t.threads) << t.arg;
        EXPECT_EQ(c.smp.max_cpus, t.max_cpus) << t.arg;
    }
    // Several -smp merge, later keys winning.
    VmConfig merged = parse({"-smp", "2", "-smp", "sockets=2"});
    EXPECT_EQ(merged.smp.cpus, 2u);
    EXPECT_EQ(merged.smp.sockets, 2u);
    EXPECT_EQ(merged.smp.cores, 1u);
    EXPECT_EQ(parse({"-smp", "2", "-smp", "4"}).smp.cpus, 4u);
    EXPECT_EQ(parse({"-smp", "2,cpus=3"}).smp.cpus, 3u);
}

TEST(CommandLine, BadSmp) {
    EXPECT_EQ(error_of({"-smp", "3,sockets=2"}),
              "-smp 3,sockets=2: Invalid CPU topology: product of the hierarchy must match maxcpus: sockets (2) * "
              "dies (1) * cores (1) * threads (1) != maxcpus (3)");
    EXPECT_EQ(error_of({"-smp", "4,maxcpus=2"}),
              "-smp 4,maxcpus=2: Invalid CPU topology: maxcpus must be equal to or greater than smp: sockets (1) * "
              "dies (1) * cores (2) * threads (1) == maxcpus (2) < smp_cpus (4)");
    EXPECT_EQ(error_of({"-smp", "abc"}), "-smp abc: Parameter 'smp.cpus' expects integer");
    EXPECT_EQ(error_of({"-smp", "2.5"}), "-smp 2.5: Parameter 'smp.cpus' expects integer");
    EXPECT_EQ(error_of({"-smp", "-1"}), "-smp -1: Parameter 'smp.cpus' expects integer");
    EXPECT_EQ(error_of({"-smp", "2,foo=3"}), "-smp 2,foo=3: Parameter 'smp.foo' is unexpected");
    EXPECT_EQ(error_of({"-smp", "2,foo"}), "-smp 2,foo: Expected '=' after parameter 'foo'");
    EXPECT_EQ(error_of({"-smp", "2,sockets="}), "-smp 2,sockets=: Parameter 'smp.sockets' expects integer");
    EXPECT_EQ(error_of({"-smp", "0"}),
              "-smp 0: Invalid CPU topology: CPU topology parameters must be greater than zero");
    EXPECT_EQ(error_of({"-smp", "4,clusters=2"}), "-smp 4,clusters=2: clusters not supported by this machine's CPU topology");
    EXPECT_EQ(error_of({"-smp", "5,sockets=2"}).find("-smp 5,sockets=2: Invalid CPU topology"), 0u);
}

TEST(CommandLine, BootOptions) {
    VmConfig c = parse({"-boot", "order=cdn,once=d,menu=on,splash-time=5000,reboot-timeout=-1,strict=off"});
    EXPECT_EQ(c.boot.get("order"), "cdn");
    EXPECT_EQ(c.boot.get("once"), "d");
    VmConfig merged = parse({"-boot", "menu=on", "-boot", "c"});
    EXPECT_EQ(merged.boot.get("order"), "c");
    EXPECT_TRUE(merged.boot.get_bool("menu"));
    EXPECT_EQ(error_of({"-boot", "z"}), "-boot z: Invalid boot device 'z'");
    EXPECT_EQ(error_of({"-boot", "dd"}), "-boot dd: Boot device 'd' was given twice");
    EXPECT_EQ(error_of({"-boot", "e"}), "-boot e: Invalid boot device for PC: 'e'");
    EXPECT_EQ(error_of({"-boot", "abcd"}), "-boot abcd: Too many boot devices for PC");
    EXPECT_EQ(error_of({"-boot", "menu=maybe"}), "-boot menu=maybe: Parameter 'menu' expects 'on' or 'off'");
    EXPECT_EQ(error_of({"-boot", "foo=1"}), "-boot foo=1: Parameter 'boot.foo' is unexpected");
    EXPECT_EQ(error_of({"-boot", "c,menu"}), "-boot c,menu: Expected '=' after parameter 'menu'");
    EXPECT_EQ(error_of({"-boot", "c,reboot-timeout=abc"}),
              "-boot c,reboot-timeout=abc: Parameter 'boot.reboot-timeout' expects integer");
}

TEST(CommandLine, CharacterDevices) {
    VmConfig c = parse({"-chardev", "file,id=f0,path=a,,b.log", "-serial", "chardev:f0", "-serial", "mon:stdio",
                        "-monitor", "none", "-qmp-pretty", "tcp::4444,server=on"});
    EXPECT_EQ(c.chardevs[0].props.get("path"), "a,b.log");
    EXPECT_EQ(c.serials, (std::vector<std::string>{"chardev:f0", "mon:stdio"}));
    ASSERT_EQ(c.monitors.size(), 1u);  // "-monitor none" adds none but disables the default
    EXPECT_TRUE(c.monitor_given);
    EXPECT_TRUE(c.monitors[0].pretty);
    EXPECT_EQ(c.monitors[0].mode, "control");
    VmConfig chardev_monitor = parse({"-chardev", "stdio,id=s", "-monitor", "chardev:s"});
    EXPECT_EQ(chardev_monitor.monitors[0].chardev, "s");
    EXPECT_EQ(chardev_monitor.monitors[0].device, "");
    EXPECT_EQ(parse({"-gdb", "none"}).gdb, "");
    EXPECT_EQ(parse({"-s", "-gdb", "tcp::5000"}).gdb, "tcp::5000");
    EXPECT_EQ(parse({"-gdb", "tcp::5000", "-s"}).gdb, "tcp::1234");
    // Short-form booleans are accepted with QEMU 7.2's deprecation warning.
    VmConfig old = parse({"-chardev", "socket,id=s,port=4444,server,nowait"});
    EXPECT_EQ(old.chardevs[0].props.get("wait"), "off");
    EXPECT_EQ(old.warnings.size(), 2u);

    EXPECT_EQ(error_of({"-chardev", "socket"}), "-chardev socket: chardev: no id specified");
    EXPECT_EQ(error_of({"-chardev", "id=x"}), "-chardev id=x: chardev: \"x\" missing backend");
    EXPECT_EQ(error_of({"-chardev", "socket,id=1x"}).rfind("-chardev socket,id=1x: Parameter 'id' expects an identifier", 0), 0u);
    EXPECT_EQ(error_of({"-chardev", "null,id=a", "-chardev", "null,id=a"}), "-chardev null,id=a: Duplicate ID 'a' for chardev");
    EXPECT_EQ(error_of({"-serial", "foo"}), "-serial foo: 'foo' is not a valid char driver");
    EXPECT_EQ(error_of({"-monitor", "foo"}), "-monitor foo: 'foo' is not a valid char driver");
    EXPECT_EQ(error_of({"-gdb", "foo"}), "-gdb foo: 'foo' is not a valid char driver");
    EXPECT_EQ(error_of({"-debugcon", "foo"}), "-debugcon foo: 'foo' is not a valid char driver");
    EXPECT_EQ(error_of({"-serial", "chardev:nope"}), "-serial chardev:nope: chardev \"nope\" not found");
    EXPECT_EQ(error_of({"-mon", "nope"}), "-mon nope: chardev \"nope\" not found");
    EXPECT_EQ(error_of({"-mon", "mode=control"}), "-mon mode=control: Parameter 'chardev' is missing");
    EXPECT_EQ(error_of({"-mon", "chardev=x,mode=foo"}), "-mon chardev=x,mode=foo: Parameter 'mode' does not accept value 'foo'");
    EXPECT_EQ(error_of({"-chardev", "null,id=c", "-mon", "c,pretty=on"}),
              "-mon c,pretty=on: 'pretty' is not compatible with HMP monitors");
}

TEST(CommandLine, DevicesAndGlobals) {
    VmConfig c = parse({"-device", "virtio-net-pci,netdev=n0,id=nic0", "-device", "driver=e1000,mac=52:54:00:00:00:01",
                        "-global", "driver=isa-fdc,property=driveA,value=d0", "-global", "kvm-pit.lost_tick_policy=a,b",
                        "-global", "isa-serial.x.y=1"});
    ASSERT_EQ(c.devices.size(), 2u);
    EXPECT_EQ(c.devices[0].driver, "virtio-net-pci");
    EXPECT_EQ(c.devices[0].id, "nic0");
    EXPECT_EQ(pairs(c.devices[0].props), (Pairs{{"netdev", "n0"}}));
    EXPECT_EQ(c.devices[1].driver, "e1000");
    EXPECT_EQ(c.devices[1].raw, "driver=e1000,mac=52:54:00:00:00:01");
    ASSERT_EQ(c.globals.size(), 3u);
    EXPECT_EQ(c.globals[0].driver, "isa-fdc");
    EXPECT_EQ(c.globals[0].property, "driveA");
    EXPECT_EQ(c.globals[0].value, "d0");
    EXPECT_EQ(c.globals[1].value, "a,b");  // the short form takes the value literally
    EXPECT_EQ(c.globals[2].property, "x.y");
    EXPECT_EQ(error_of({"-device", "iobase=1"}), "-device iobase=1: Parameter 'driver' is missing");
    EXPECT_EQ(error_of({"-device", "e1000,id=a", "-device", "e1000,id=a"}), "-device e1000,id=a: Duplicate ID 'a' for device");
    EXPECT_EQ(error_of({"-device", "e1000,id=1"}).rfind("-device e1000,id=1: Parameter 'id' expects an identifier", 0), 0u);
    EXPECT_NE(error_of({"-device", "{\"driver\":\"e1000\"}"}).find("not supported yet"), std::string::npos);
    EXPECT_EQ(error_of({"-global", "foo"}), "-global foo: Invalid parameter 'foo'");
    EXPECT_EQ(error_of({"-global", ".bar=1"}), "-global .bar=1: Invalid parameter '.bar'");
    EXPECT_EQ(error_of({"-global", "foo.=1"}), "-global foo.=1: Invalid parameter 'foo.'");
    EXPECT_EQ(error_of({"-global", "driver=isa-serial,value=1"}),
              "-global driver=isa-serial,value=1: options 'driver', 'property', and 'value' are required");
}

TEST(CommandLine, NameRtcIcountVgaDisplay) {
    EXPECT_EQ(parse({"-name", "foo,,bar"}).name, "foo,bar");
    EXPECT_EQ(parse({"-name", "a,guest=b"}).name, "b");
    EXPECT_EQ(parse({"-name", "a", "-name", "process=p"}).name, "a");
    EXPECT_EQ(error_of({"-name", "guest=x,id=y"}), "-name guest=x,id=y: Invalid parameter 'id'");
    EXPECT_EQ(error_of({"-name", "a,debug-threads=maybe"}),
              "-name a,debug-threads=maybe: Parameter 'debug-threads' expects 'on' or 'off'");
    EXPECT_EQ(parse({"-rtc", "base=2006-06-17T16:01:21"}).rtc.get("base"), "2006-06-17T16:01:21");
    EXPECT_EQ(parse({"-rtc", "base=localtime,driftfix=slew"}).rtc.get("driftfix"), "slew");
    EXPECT_EQ(error_of({"-rtc", "clock=x"}), "-rtc clock=x: invalid option value 'x'");
    EXPECT_EQ(error_of({"-rtc", "foo"}), "-rtc foo: Invalid parameter 'foo'");
    EXPECT_NE(error_of({"-rtc", "base=xx"}).find("invalid datetime format"), std::string::npos);
    EXPECT_EQ(parse({"-icount", "auto"}).icount.get("shift"), "auto");
    EXPECT_EQ(error_of({"-icount", "11"}), "-icount 11: icount: Invalid shift value");
    EXPECT_EQ(error_of({"-icount", "align=on"}), "-icount align=on: Please specify shift option when using align");
    EXPECT_EQ(error_of({"-icount", "3,rr=x"}), "-icount 3,rr=x: Invalid icount rr option: x");
    EXPECT_EQ(parse({"-vga", "none"}).vga, "none");
    EXPECT_EQ(error_of({"-vga", "foo"}), "-vga foo: unknown vga type: foo");
    EXPECT_EQ(parse({"-display", "vnc=:0"}).display, "vnc=:0");
    EXPECT_EQ(parse({"-display", "gtk,full-screen=on"}).display, "gtk,full-screen=on");
    EXPECT_EQ(error_of({"-display", "foo"}), "-display foo: Parameter 'type' does not accept value 'foo'");
    EXPECT_EQ(parse({"-display", "none,gl=off,show-cursor=on"}).display, "none,gl=off,show-cursor=on");
    EXPECT_EQ(error_of({"-display", "none,foo=1"}), "-display none,foo=1: Parameter 'foo' is unexpected");
    EXPECT_EQ(error_of({"-display", "none,gl=on"}), "-display none,gl=on: OpenGL is not supported by the display");
    EXPECT_EQ(parse({"-rtc", "base=2006-6-17"}).rtc.get("base"), "2006-6-17");  // QEMU reads "%d-%d-%d"
    EXPECT_NE(error_of({"-rtc", "base=2006-06"}).find("invalid datetime format"), std::string::npos);
}

TEST(CommandLine, KernelOnlyOptions) {
    EXPECT_EQ(error_of({"-append", "foo"}), "-append only allowed with -kernel option");
    EXPECT_EQ(error_of({"-initrd", "foo"}), "-initrd only allowed with -kernel option");
    EXPECT_EQ(parse({"-append", ""}).append, "");  // an empty command line is fine
}

TEST(CommandLine, LogOptions) {
    VmConfig c = parse({"-d", "foo", "-d", "int,guest_errors", "-D", "a.log", "-D", "b.log"});
    // Like QEMU, only the last -d counts, so the bad first one is not an error.
    EXPECT_EQ(c.log_items, (std::vector<std::string>{"int", "guest_errors"}));
    EXPECT_EQ(c.log_file, "b.log");
    EXPECT_EQ(error_of({"-d", "foo"}), "-d: unknown log item 'foo'");
    EXPECT_EQ(error_of({"-d", "in_asm,foo"}), "-d: unknown log item 'foo'");
    EXPECT_EQ(error_of({"-d", "trace:foo*"}), "-d: log item 'trace:foo*' not supported yet");
}

TEST(CommandLine, UnmodelledAndForeignOptions) {
    VmConfig c = parse({"-snapshot", "-usb", "-object", "memory-backend-ram,id=m,size=1G", "-hdb", "x.img"});
    ASSERT_EQ(c.unmodelled.size(), 4u);
    EXPECT_EQ(c.unmodelled[0].option, "-snapshot");
    EXPECT_EQ(c.unmodelled[2].option, "-object");
    EXPECT_EQ(c.unmodelled[2].arg, "memory-backend-ram,id=m,size=1G");
    EXPECT_EQ(error_of({"-g", "800x600"}), "-g 800x600: Option not supported for this target");
    EXPECT_EQ(error_of({"-semihosting"}), "-semihosting: Option not supported for this target");
}

// ---------------------------------------------------------------------------------------------
// Help / listing requests

TEST(Help, TopLevel) {
    EXPECT_TRUE(parse({"-help"}).help);
    EXPECT_TRUE(parse({"-h"}).help);
    EXPECT_TRUE(parse({"--help"}).help);
    EXPECT_TRUE(parse({"-version"}).version);
    EXPECT_TRUE(parse({"--version"}).version);
    // QEMU answers -help/-version at once: later bad values don't matter ...
    VmConfig v = parse({"-version", "-m", "12Q"});
    EXPECT_TRUE(v.version);
    EXPECT_TRUE(v.wants_help());
    EXPECT_FALSE(parse({"-version", "-help"}).help);
    // ... but earlier ones do, and unknown options anywhere are caught first.
    EXPECT_NE(error_of({"-m", "12Q", "-version"}), "");
    EXPECT_EQ(error_of({"-help", "-foo"}), "-foo: invalid option");
    EXPECT_EQ(error_of({"-help", "-m"}), "-m: requires an argument");
}

TEST(Help, ListingRequests) {
    EXPECT_TRUE(parse({"-device", "help"}).device_help);
    EXPECT_TRUE(parse({"-device", "?"}).device_help);
    EXPECT_TRUE(parse({"-device", "driver=help"}).device_help);
    EXPECT_TRUE(parse({"-device", "help,foo=1"}).device_help);
    EXPECT_EQ(parse({"-device", "isa-debug-exit,help"}).device_props_help, "isa-debug-exit");
    EXPECT_EQ(parse({"-device", "isa-debug-exit,?"}).device_props_help, "isa-debug-exit");
    EXPECT_TRUE(parse({"-cpu", "help"}).cpu_help);
    EXPECT_TRUE(parse({"-cpu", "?"}).cpu_help);
    EXPECT_TRUE(parse({"-machine", "help"}).machine_help);
    EXPECT_TRUE(parse({"-M", "?"}).machine_help);
    EXPECT_TRUE(parse({"-M", "help,foo=1"}).machine_help);
    EXPECT_EQ(parse({"-M", "q35,help"}).machine_props_help, "q35");
    EXPECT_EQ(parse({"-M", "q35", "-M", "help"}).machine_props_help, "q35");
    EXPECT_TRUE(parse({"-d", "help"}).d_help);
    EXPECT_TRUE(parse({"-d", "?"}).d_help);
    EXPECT_TRUE(parse({"-d", "in_asm,help"}).d_help);
    EXPECT_EQ(parse({"-accel", "help"}).option_help, (std::vector<std::string>{"-accel"}));
    EXPECT_EQ(parse({"-chardev", "help"}).option_help, (std::vector<std::string>{"-chardev"}));
    EXPECT_EQ(parse({"-vga", "help"}).option_help, (std::vector<std::string>{"-vga"}));
    EXPECT_EQ(parse({"-L", "help"}).option_help, (std::vector<std::string>{"-L"}));
    EXPECT_EQ(parse({"-boot", "help"}).option_help, (std::vector<std::string>{"-boot"}));
    EXPECT_EQ(parse({"-smp", "help"}).option_help, (std::vector<std::string>{"-smp"}));
    EXPECT_EQ(parse({"-name", "a,help"}).option_help, (std::vector<std::string>{"-name"}));
    EXPECT_EQ(parse({"-display", "help"}).option_help, (std::vector<std::string>{"-display"}));
    EXPECT_EQ(parse({"-rtc", "help"}).option_help, (std::vector<std::string>{"-rtc"}));
    EXPECT_EQ(parse({"-m", "1G,help"}).option_help, (std::vector<std::string>{"-m"}));
    // A deferred listing still lets later errors through, as in QEMU.
    EXPECT_NE(error_of({"-device", "help", "-m", "12Q"}), "");
    EXPECT_NE(error_of({"-d", "help", "-m", "12Q"}), "");
    // An immediate one (-machine help) stops there.
    EXPECT_TRUE(parse({"-M", "help", "-m", "12Q"}).machine_help);
}

TEST(Help, Texts) {
    EXPECT_EQ(version_text(), "Vireo emulator version 0.1.0, QEMU-compatible command line\n");
    std::string help = help_text();
    for (const char* opt : {"-machine", "-cpu", "-m ", "-smp", "-kernel", "-initrd", "-append", "-serial", "-chardev",
                            "-device", "-global", "-nodefaults", "-nographic", "-display", "-no-reboot", "-no-shutdown",
                            "-d ", "-D ", "-accel", "-S ", "-s ", "-gdb", "-monitor", "-qmp", "-bios", "-L ", "-name",
                            "-boot", "-drive", "-hda", "-cdrom", "-nic", "-netdev", "-vga", "-vnc", "-enable-kvm",
                            "-version", "-h or -help", "-debugcon", "-mon ", "-icount", "-rtc", "-no-hpet"}) {
        EXPECT_NE(help.find("\n" + std::string(opt)), std::string::npos) << opt;
    }
    EXPECT_NE(suboption_help("-boot").find("order="), std::string::npos);
    EXPECT_NE(suboption_help("-smp").find("maxcpus="), std::string::npos);
    EXPECT_EQ(suboption_help("-device"), "");
}

// ---------------------------------------------------------------------------------------------
// reject_unsupported

Capabilities full_caps() {
    Capabilities caps;
    caps.machine_types = {"pc", "q35"};
    caps.cpu_models = {"qemu64", "max"};
    caps.accelerators = {"tcg"};
    caps.device_types = {"isa-debug-exit", "isa-serial"};
    caps.chardev_backends = {"stdio", "file", "null", "socket"};
    caps.display_types = {"none"};
    caps.vga_types = {"std"};
    caps.max_cpus = 8;
    caps.serial_ports = 4;
    caps.kernel_boot = caps.bios_file = caps.boot_options = caps.globals = true;
    caps.monitor = caps.qmp = caps.gdb = caps.debugcon = true;
    caps.icount = caps.rtc = caps.start_paused = caps.no_reboot = caps.no_shutdown = true;
    return caps;
}

std::string rejection(std::initializer_list<std::string> args, const Capabilities& caps) {
    VmConfig c = parse(args);
    try {
        reject_unsupported(c, caps);
    } catch (const OptionError& e) {
        EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
        return e.what();
    }
    return "";
}

TEST(RejectUnsupported, WholeSubsystemsMissing) {
    Capabilities caps = full_caps();
    EXPECT_EQ(rejection({"-vnc", ":1"}, caps), "-vnc: not supported yet");
    EXPECT_EQ(rejection({"-display", "vnc=:1"}, caps), "-display vnc: not supported yet");
    EXPECT_EQ(rejection({"-netdev", "user,id=n"}, caps), "-netdev: not supported yet");
    EXPECT_EQ(rejection({"-nic", "user"}, caps), "-nic: not supported yet");
    EXPECT_EQ(rejection({"-drive", "file=x"}, caps), "-drive: not supported yet");
    EXPECT_EQ(rejection({"-hda", "x"}, caps), "-hda: not supported yet");
    EXPECT_EQ(rejection({"x.img"}, caps), "-hda: not supported yet");
    EXPECT_EQ(rejection({"-cdrom", "x"}, caps), "-cdrom: not supported yet");
    EXPECT_EQ(rejection({"-enable-kvm"}, caps), "-enable-kvm: not supported yet");
    EXPECT_EQ(rejection({"-accel", "kvm"}, caps), "-accel kvm: not supported yet");
    EXPECT_EQ(rejection({"-snapshot"}, caps), "-snapshot: not supported yet");
    EXPECT_EQ(rejection({"-object", "x"}, caps), "-object: not supported yet");

    Capabilities none;  // nothing but the core
    EXPECT_EQ(rejection({"-gdb", "tcp::1"}, none), "-gdb: not supported yet");
    EXPECT_EQ(rejection({"-s"}, none), "-s: not supported yet");
    EXPECT_EQ(rejection({"-monitor", "stdio"}, none), "-monitor: not supported yet");
    EXPECT_EQ(rejection({"-qmp", "stdio"}, none), "-qmp: not supported yet");
    EXPECT_EQ(rejection({"-serial", "stdio"}, none), "-serial: not supported yet");
    EXPECT_EQ(rejection({"-device", "e1000"}, none), "-device: not supported yet");
    EXPECT_EQ(rejection({"-chardev", "null,id=x"}, none), "-chardev: not supported yet");
    EXPECT_EQ(rejection({"-kernel", "k"}, none), "-kernel: not supported yet");
    EXPECT_EQ(rejection({"-bios", "b"}, none), "-bios: not supported yet");
    EXPECT_EQ(rejection({"-boot", "c"}, none), "-boot: not supported yet");
    EXPECT_EQ(rejection({"-global", "a.b=c"}, none), "-global: not supported yet");
    EXPECT_EQ(rejection({"-M", "q35"}, none), "-machine: not supported yet");
    EXPECT_EQ(rejection({"-cpu", "max"}, none), "-cpu: not supported yet");
    EXPECT_EQ(rejection({"-vga", "std"}, none), "-vga: not supported yet");
    EXPECT_EQ(rejection({"-display", "sdl"}, none), "-display: not supported yet");
    EXPECT_EQ(rejection({"-rtc", "base=utc"}, none), "-rtc: not supported yet");
    EXPECT_EQ(rejection({"-icount", "3"}, none), "-icount: not supported yet");
    EXPECT_EQ(rejection({"-debugcon", "stdio"}, none), "-debugcon: not supported yet");
    EXPECT_EQ(rejection({"-S"}, none), "-S: not supported yet");
    EXPECT_EQ(rejection({"-no-reboot"}, none), "-no-reboot: not supported yet");
    EXPECT_EQ(rejection({"-no-shutdown"}, none), "-no-shutdown: not supported yet");
    // The core options need nothing.
    EXPECT_EQ(rejection({"-m", "1G", "-smp", "4", "-name", "x", "-L", ".", "-d", "int", "-D", "l", "-nodefaults",
                         "-nographic"},
                        none),
              "");
    // Options that only disable something are always fine.
    EXPECT_EQ(rejection({"-vga", "none", "-nic", "none", "-serial", "none", "-display", "none", "-monitor", "none",
                         "-gdb", "none", "-debugcon", "none"},
                        none),
              "");
}

TEST(RejectUnsupported, MissingPieces) {
    Capabilities caps = full_caps();
    EXPECT_EQ(rejection({"-M", "microvm"}, caps),
              "-machine microvm: unsupported machine type 'microvm' (use -machine help to list supported machines)");
    EXPECT_EQ(rejection({"-cpu", "Skylake-Client"}, caps),
              "-cpu Skylake-Client: CPU model 'Skylake-Client' is unknown or not supported yet (use -cpu help)");
    EXPECT_EQ(rejection({"-device", "e1000,mac=1"}, caps),
              "-device e1000,mac=1: device 'e1000' is unknown or not supported yet (use -device help)");
    EXPECT_EQ(rejection({"-chardev", "pty,id=p"}, caps), "-chardev pty,id=p: chardev backend 'pty' is not supported yet");
    EXPECT_EQ(rejection({"-serial", "pty"}, caps), "-serial pty: chardev backend 'pty' is not supported yet");
    EXPECT_EQ(rejection({"-serial", "null", "-serial", "null", "-serial", "none", "-serial", "null", "-serial", "null",
                         "-serial", "null"},
                        caps),
              "-serial null: only 4 serial ports are supported");
    EXPECT_EQ(rejection({"-display", "sdl"}, caps), "-display sdl: display type 'sdl' is not supported yet");
    EXPECT_EQ(rejection({"-vga", "cirrus"}, caps), "-vga cirrus: VGA type 'cirrus' is not supported yet");
    EXPECT_EQ(rejection({"-smp", "16"}, caps), "-smp: Invalid SMP CPUs 16. The max CPUs supported by machine 'default' is 8");
    Capabilities no_monitor = caps;
    no_monitor.monitor = false;
    EXPECT_EQ(rejection({"-serial", "mon:stdio"}, no_monitor), "-serial mon:stdio: the monitor is not supported yet");
    EXPECT_EQ(rejection({"-chardev", "null,id=c", "-mon", "c"}, no_monitor), "-mon c: the monitor is not supported yet");
}

TEST(RejectUnsupported, AcceptsWhatIsSupported) {
    Capabilities caps = full_caps();
    EXPECT_EQ(rejection({"-nodefaults", "-nographic", "-serial", "stdio", "-m", "128", "-device",
                         "isa-debug-exit,iobase=0xf4,iosize=0x4", "-kernel", "T.elf"},
                        caps),
              "");
    EXPECT_EQ(rejection({"-chardev", "socket,id=mon0,path=/tmp/m.sock,server=on,wait=off", "-mon",
                         "chardev=mon0,mode=control", "-S", "-s"},
                        caps),
              "");
    EXPECT_EQ(rejection({"-M", "q35", "-cpu", "max", "-accel", "tcg", "-smp", "8", "-gdb", "tcp::1", "-qmp", "stdio",
                         "-debugcon", "file:d", "-vga", "std", "-boot", "c", "-rtc", "base=utc", "-icount", "auto"},
                        caps),
              "");
}

}  // namespace
}  // namespace vireo
