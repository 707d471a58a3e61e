// The ACPI tables as a guest finds them: SeaBIOS (Debian's bios-256k.bin) runs on the q35
// machine until it has published the RSDP (it does so at the end of POST, after every table is
// final), then the tables are read back from guest memory: the RSDP in the BIOS area (ACPI 6.4 5.2.5.1), every table
// the RSDT lists with a valid checksum (5.2.6), the FADT's PM block at the 0x600 SeaBIOS moved
// PMBASE to, and the DSDT disassembled by `iasl -d` and reassembled by `iasl` unchanged in
// meaning (it compiles again without errors).
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <unistd.h>
#include "hw/boards.h"
#include "tests/support/q35_machine.h"

using namespace vireo;
using test::config;

namespace {


u8 sum(Machine& m, u64 addr, u64 len) {
    u8 s = 0;
    for (u64 i = 0; i < len; i++) s = static_cast<u8>(s + m.phys_read(addr + i, 1));
    return s;
}

std::string sig(Machine& m, u64 addr) {
    std::string s;
    for (int i = 0; i < 4; i++) s += static_cast<char>(m.phys_read(addr + i, 1));
    return s;
}

}  // namespace

TEST(Q35AcpiBoot, SeaBiosInstallsTablesAGuestCanParse) {
    VmConfig cfg = config({"-M", "q35", "-nodefaults", "-m", "256", "-smp", "2"});
    auto m = create_q35(cfg);
    // RSDP: "RSD PTR " on a 16-byte boundary in 0xe0000-0xfffff, checksum over 20 bytes.
    Machine* mp = m.get();
    auto find_rsdp = [mp]() -> u64 {
        for (u64 a = 0xe0000; a < 0x100000; a += 16)
            if (mp->phys_read(a, 8) == 0x2052545020445352ull && sum(*mp, a, 20) == 0) return a;  // "RSD PTR "
        return 0;
    };
    // Stop once SeaBIOS has published it (polled every 20 ms of machine time; 60 s at most).
    u64 next = 20'000'000;
    m->add_timer([&next] { return next; }, [&](u64 now) {
        next = now + 20'000'000;
        if (find_rsdp() || now > 60'000'000'000ull) mp->request_exit(0);
    });
    ASSERT_EQ(m->run(), 0);
    const u64 rsdp = find_rsdp();
    ASSERT_NE(rsdp, 0u);
    EXPECT_EQ(sum(*m, rsdp, 20), 0);
    const u64 rsdt = m->phys_read(rsdp + 16, 4);
    ASSERT_EQ(sig(*m, rsdt), "RSDT");
    const u32 rsdt_len = static_cast<u32>(m->phys_read(rsdt + 4, 4));
    EXPECT_EQ(sum(*m, rsdt, rsdt_len), 0);
    std::map<std::string, u64> tables;
    for (u32 off = 36; off + 4 <= rsdt_len; off += 4) {
        const u64 t = m->phys_read(rsdt + off, 4);
        const u32 len = static_cast<u32>(m->phys_read(t + 4, 4));
        EXPECT_EQ(sum(*m, t, len), 0) << sig(*m, t);
        tables[sig(*m, t)] = t;
    }
    for (const char* want : {"FACP", "APIC", "HPET", "MCFG"}) EXPECT_TRUE(tables.count(want)) << want;
    ASSERT_TRUE(tables.count("FACP"));
    const u64 fadt = tables["FACP"];
    // FADT (5.2.9): SCI_INT 9, SMI_CMD 0xb2, PM1a_EVT_BLK 0x600, PM1a_CNT_BLK 0x604, PM_TMR_BLK 0x608.
    EXPECT_EQ(m->phys_read(fadt + 46, 2), 9u);
    EXPECT_EQ(m->phys_read(fadt + 48, 4), 0xb2u);
    EXPECT_EQ(m->phys_read(fadt + 56, 4), 0x600u);
    EXPECT_EQ(m->phys_read(fadt + 64, 4), 0x604u);
    EXPECT_EQ(m->phys_read(fadt + 76, 4), 0x608u);
    // MADT (5.2.12): two processor local APIC entries, enabled.
    const u64 madt = tables["APIC"];
    const u32 madt_len = static_cast<u32>(m->phys_read(madt + 4, 4));
    int cpus = 0;
    for (u32 off = 44; off + 2 <= madt_len;) {
        const u8 type = static_cast<u8>(m->phys_read(madt + off, 1)), len = static_cast<u8>(m->phys_read(madt + off + 1, 1));
        if (type == 0 && (m->phys_read(madt + off + 4, 4) & 1)) cpus++;
        if (!len) break;
        off += len;
    }
    EXPECT_EQ(cpus, 2);

    // The DSDT (FADT.DSDT at offset 40): checksum, then iasl -d and a recompile.
    const u64 dsdt = m->phys_read(fadt + 40, 4);
    ASSERT_EQ(sig(*m, dsdt), "DSDT");
    const u32 dsdt_len = static_cast<u32>(m->phys_read(dsdt + 4, 4));
    EXPECT_EQ(sum(*m, dsdt, dsdt_len), 0);
    char dir[] = "/tmp/vireo-acpi-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    {
        std::ofstream f(std::string(dir) + "/dsdt.aml", std::ios::binary);
        for (u32 i = 0; i < dsdt_len; i++) f.put(static_cast<char>(m->phys_read(dsdt + i, 1)));
    }
    const std::string d(dir);
    ASSERT_EQ(std::system(("cd " + d + " && iasl -d dsdt.aml >log 2>&1").c_str()), 0);
    std::ifstream dsl(d + "/dsdt.dsl");
    const std::string text((std::istreambuf_iterator<char>(dsl)), {});
    EXPECT_NE(text.find("PNP0A08"), std::string::npos);
    EXPECT_NE(text.find("_S5_"), std::string::npos);
    EXPECT_EQ(std::system(("cd " + d + " && iasl -p again dsdt.dsl >>log 2>&1").c_str()), 0);
    std::ifstream again(d + "/again.aml", std::ios::binary);
    std::string aml((std::istreambuf_iterator<char>(again)), {});
    EXPECT_EQ(aml.size(), dsdt_len);  // the same AML size after the round trip
    std::system(("rm -rf " + d).c_str());
}
