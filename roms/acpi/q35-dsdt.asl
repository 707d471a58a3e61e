/*
 * DSDT of Vireo's q35 machine (FIRMWARE.md section 5), compiled by iasl at build time and
 * linked into the binary (roms/CMakeLists.txt). It describes what QEMU 7.2 generates for q35
 * (hw/i386/acpi-build.c, hw/acpi/ich9.c): the PCIe root bridge with its resources and
 * interrupt routing, the ICH9 LPC bridge with the legacy ISA devices, the HPET, and \_S5.
 * Section numbers are ACPI 6.4.
 *
 * Fixed facts this table relies on (the board must match them):
 *   - ECAM (PCIEXBAR) at 0xb0000000, 256 MiB; RAM below 4 GiB never reaches past it (QEMU
 *     pc_q35.c: lowmem = 2 GiB when RAM >= 0xb0000000, else all of RAM), so the 32-bit PCI
 *     window is always [0xc0000000, 0xfec00000) - QEMU's mch pci_hole. The 64-bit window is
 *     patched in when the tables are built (see _CRS).
 *   - LPC at 00:1f.0 with the PIRQA-D routing registers at config 0x60-0x63 and PIRQE-H at
 *     0x68-0x6b (ICH9 datasheet 13.1.17/13.1.20; bit 7 = routing disabled, bits 3:0 = IRQ).
 *   - In APIC mode PIRQA-H reach IOAPIC inputs 16-23.
 */
DefinitionBlock ("q35-dsdt.aml", "DSDT", 1, "BOCHS ", "BXPC    ", 0x00000001)
{
    /* 5.8.1 \_PIC: the OS tells which interrupt model it uses; _PRT follows it. */
    Name (PICF, Zero)
    Method (_PIC, 1, NotSerialized)
    {
        PICF = Arg0
    }

    /* 7.4.2 sleeping states: S5 only (PM1_CNT.SLP_TYP = 0 on ICH9, as QEMU). No \_S3. */
    Name (_S5, Package (0x04) { Zero, Zero, Zero, Zero })

    /* 5.6.4 general-purpose events: the GPE0 block is in the FADT; no handlers yet. */
    Scope (\_GPE)
    {
        Name (_HID, "ACPI0006")
    }

    Scope (\_SB)
    {
        Device (PCI0)
        {
            Name (_HID, EisaId ("PNP0A08"))  /* PCI Express root bridge */
            Name (_CID, EisaId ("PNP0A03"))  /* compatible with a PCI root bridge */
            Name (_ADR, Zero)                /* as QEMU; iasl warns about _HID with _ADR */
            Name (_UID, Zero)
            Name (_SEG, Zero)
            Name (_BBN, Zero)

            /* 6.2.13 / 6.4.3.5: what the root bridge decodes. */
            Name (_CRS, ResourceTemplate ()
            {
                WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode,
                    0x0000, 0x0000, 0x00FF, 0x0000, 0x0100)
                IO (Decode16, 0x0CF8, 0x0CF8, 0x01, 0x08)
                WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange,
                    0x0000, 0x0000, 0x0CF7, 0x0000, 0x0CF8)
                WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange,
                    0x0000, 0x0D00, 0xFFFF, 0x0000, 0xF300)
                DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, Cacheable, ReadWrite,
                    0x00000000, 0x000A0000, 0x000BFFFF, 0x00000000, 0x00020000)
                DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite,
                    0x00000000, 0xC0000000, 0xFEBFFFFF, 0x00000000, 0x3EC00000)
                /*
                 * The 64-bit window above RAM (QEMU's pci_hole64). Its bounds depend on the RAM
                 * size, so these are placeholders that hw/acpi/acpi_tables.cc finds (minimum and
                 * maximum back to back) and overwrites: keep them unique in this file.
                 */
                QWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, Cacheable, ReadWrite,
                    0x0000000000000000, 0x5649524530000000, 0x564952453FFFFFFF, 0x0000000000000000,
                    0x0000000010000000)
            })

            /*
             * 6.2.11 _OSC for PCI Express (PCI Firmware Spec 3.2, 4.5): grant the OS native
             * control of hot-plug, SHPC, PME, AER and the capability structure, as QEMU does.
             */
            Method (_OSC, 4, NotSerialized)
            {
                CreateDWordField (Arg3, Zero, CDW1)
                If ((Arg0 == ToUUID ("33db4d5b-1ff7-401c-9657-7441c03dd766")))
                {
                    CreateDWordField (Arg3, 0x08, CDW3)
                    Local0 = CDW3
                    Local0 &= 0x1F
                    If ((Arg1 != One))
                    {
                        CDW1 |= 0x08  /* unknown revision */
                    }
                    If ((CDW3 != Local0))
                    {
                        CDW1 |= 0x10  /* capabilities masked */
                    }
                    CDW3 = Local0
                }
                Else
                {
                    CDW1 |= 0x04  /* unrecognized UUID */
                }
                Return (Arg3)
            }

            /*
             * 6.2.13 _PRT. Device slot s, pin p (0 = INTA) goes to PIRQ x (QEMU
             * build_q35_routing_table, matching ICH9's default routing in QEMU lpc_ich9.c):
             *   slots 0x00-0x17: PIRQ E + ((s + p) mod 4)
             *   slots 0x18, 0x1e: PIRQ E + p
             *   slots 0x19-0x1d, 0x1f: PIRQ A + p
             * PIC mode names link devices LNKx (whose IRQ is in the LPC PIRQx register); APIC
             * mode names GSIx, hard-wired to GSI 16 + x.
             */
            Name (PRTP, Package (0x80)
            {
                Package () { 0x0000FFFF, 0, LNKE, 0 }, Package () { 0x0000FFFF, 1, LNKF, 0 },
                Package () { 0x0000FFFF, 2, LNKG, 0 }, Package () { 0x0000FFFF, 3, LNKH, 0 },
                Package () { 0x0001FFFF, 0, LNKF, 0 }, Package () { 0x0001FFFF, 1, LNKG, 0 },
                Package () { 0x0001FFFF, 2, LNKH, 0 }, Package () { 0x0001FFFF, 3, LNKE, 0 },
                Package () { 0x0002FFFF, 0, LNKG, 0 }, Package () { 0x0002FFFF, 1, LNKH, 0 },
                Package () { 0x0002FFFF, 2, LNKE, 0 }, Package () { 0x0002FFFF, 3, LNKF, 0 },
                Package () { 0x0003FFFF, 0, LNKH, 0 }, Package () { 0x0003FFFF, 1, LNKE, 0 },
                Package () { 0x0003FFFF, 2, LNKF, 0 }, Package () { 0x0003FFFF, 3, LNKG, 0 },
                Package () { 0x0004FFFF, 0, LNKE, 0 }, Package () { 0x0004FFFF, 1, LNKF, 0 },
                Package () { 0x0004FFFF, 2, LNKG, 0 }, Package () { 0x0004FFFF, 3, LNKH, 0 },
                Package () { 0x0005FFFF, 0, LNKF, 0 }, Package () { 0x0005FFFF, 1, LNKG, 0 },
                Package () { 0x0005FFFF, 2, LNKH, 0 }, Package () { 0x0005FFFF, 3, LNKE, 0 },
                Package () { 0x0006FFFF, 0, LNKG, 0 }, Package () { 0x0006FFFF, 1, LNKH, 0 },
                Package () { 0x0006FFFF, 2, LNKE, 0 }, Package () { 0x0006FFFF, 3, LNKF, 0 },
                Package () { 0x0007FFFF, 0, LNKH, 0 }, Package () { 0x0007FFFF, 1, LNKE, 0 },
                Package () { 0x0007FFFF, 2, LNKF, 0 }, Package () { 0x0007FFFF, 3, LNKG, 0 },
                Package () { 0x0008FFFF, 0, LNKE, 0 }, Package () { 0x0008FFFF, 1, LNKF, 0 },
                Package () { 0x0008FFFF, 2, LNKG, 0 }, Package () { 0x0008FFFF, 3, LNKH, 0 },
                Package () { 0x0009FFFF, 0, LNKF, 0 }, Package () { 0x0009FFFF, 1, LNKG, 0 },
                Package () { 0x0009FFFF, 2, LNKH, 0 }, Package () { 0x0009FFFF, 3, LNKE, 0 },
                Package () { 0x000AFFFF, 0, LNKG, 0 }, Package () { 0x000AFFFF, 1, LNKH, 0 },
                Package () { 0x000AFFFF, 2, LNKE, 0 }, Package () { 0x000AFFFF, 3, LNKF, 0 },
                Package () { 0x000BFFFF, 0, LNKH, 0 }, Package () { 0x000BFFFF, 1, LNKE, 0 },
                Package () { 0x000BFFFF, 2, LNKF, 0 }, Package () { 0x000BFFFF, 3, LNKG, 0 },
                Package () { 0x000CFFFF, 0, LNKE, 0 }, Package () { 0x000CFFFF, 1, LNKF, 0 },
                Package () { 0x000CFFFF, 2, LNKG, 0 }, Package () { 0x000CFFFF, 3, LNKH, 0 },
                Package () { 0x000DFFFF, 0, LNKF, 0 }, Package () { 0x000DFFFF, 1, LNKG, 0 },
                Package () { 0x000DFFFF, 2, LNKH, 0 }, Package () { 0x000DFFFF, 3, LNKE, 0 },
                Package () { 0x000EFFFF, 0, LNKG, 0 }, Package () { 0x000EFFFF, 1, LNKH, 0 },
                Package () { 0x000EFFFF, 2, LNKE, 0 }, Package () { 0x000EFFFF, 3, LNKF, 0 },
                Package () { 0x000FFFFF, 0, LNKH, 0 }, Package () { 0x000FFFFF, 1, LNKE, 0 },
                Package () { 0x000FFFFF, 2, LNKF, 0 }, Package () { 0x000FFFFF, 3, LNKG, 0 },
                Package () { 0x0010FFFF, 0, LNKE, 0 }, Package () { 0x0010FFFF, 1, LNKF, 0 },
                Package () { 0x0010FFFF, 2, LNKG, 0 }, Package () { 0x0010FFFF, 3, LNKH, 0 },
                Package () { 0x0011FFFF, 0, LNKF, 0 }, Package () { 0x0011FFFF, 1, LNKG, 0 },
                Package () { 0x0011FFFF, 2, LNKH, 0 }, Package () { 0x0011FFFF, 3, LNKE, 0 },
                Package () { 0x0012FFFF, 0, LNKG, 0 }, Package () { 0x0012FFFF, 1, LNKH, 0 },
                Package () { 0x0012FFFF, 2, LNKE, 0 }, Package () { 0x0012FFFF, 3, LNKF, 0 },
                Package () { 0x0013FFFF, 0, LNKH, 0 }, Package () { 0x0013FFFF, 1, LNKE, 0 },
                Package () { 0x0013FFFF, 2, LNKF, 0 }, Package () { 0x0013FFFF, 3, LNKG, 0 },
                Package () { 0x0014FFFF, 0, LNKE, 0 }, Package () { 0x0014FFFF, 1, LNKF, 0 },
                Package () { 0x0014FFFF, 2, LNKG, 0 }, Package () { 0x0014FFFF, 3, LNKH, 0 },
                Package () { 0x0015FFFF, 0, LNKF, 0 }, Package () { 0x0015FFFF, 1, LNKG, 0 },
                Package () { 0x0015FFFF, 2, LNKH, 0 }, Package () { 0x0015FFFF, 3, LNKE, 0 },
                Package () { 0x0016FFFF, 0, LNKG, 0 }, Package () { 0x0016FFFF, 1, LNKH, 0 },
                Package () { 0x0016FFFF, 2, LNKE, 0 }, Package () { 0x0016FFFF, 3, LNKF, 0 },
                Package () { 0x0017FFFF, 0, LNKH, 0 }, Package () { 0x0017FFFF, 1, LNKE, 0 },
                Package () { 0x0017FFFF, 2, LNKF, 0 }, Package () { 0x0017FFFF, 3, LNKG, 0 },
                Package () { 0x0018FFFF, 0, LNKE, 0 }, Package () { 0x0018FFFF, 1, LNKF, 0 },
                Package () { 0x0018FFFF, 2, LNKG, 0 }, Package () { 0x0018FFFF, 3, LNKH, 0 },
                Package () { 0x0019FFFF, 0, LNKA, 0 }, Package () { 0x0019FFFF, 1, LNKB, 0 },
                Package () { 0x0019FFFF, 2, LNKC, 0 }, Package () { 0x0019FFFF, 3, LNKD, 0 },
                Package () { 0x001AFFFF, 0, LNKA, 0 }, Package () { 0x001AFFFF, 1, LNKB, 0 },
                Package () { 0x001AFFFF, 2, LNKC, 0 }, Package () { 0x001AFFFF, 3, LNKD, 0 },
                Package () { 0x001BFFFF, 0, LNKA, 0 }, Package () { 0x001BFFFF, 1, LNKB, 0 },
                Package () { 0x001BFFFF, 2, LNKC, 0 }, Package () { 0x001BFFFF, 3, LNKD, 0 },
                Package () { 0x001CFFFF, 0, LNKA, 0 }, Package () { 0x001CFFFF, 1, LNKB, 0 },
                Package () { 0x001CFFFF, 2, LNKC, 0 }, Package () { 0x001CFFFF, 3, LNKD, 0 },
                Package () { 0x001DFFFF, 0, LNKA, 0 }, Package () { 0x001DFFFF, 1, LNKB, 0 },
                Package () { 0x001DFFFF, 2, LNKC, 0 }, Package () { 0x001DFFFF, 3, LNKD, 0 },
                Package () { 0x001EFFFF, 0, LNKE, 0 }, Package () { 0x001EFFFF, 1, LNKF, 0 },
                Package () { 0x001EFFFF, 2, LNKG, 0 }, Package () { 0x001EFFFF, 3, LNKH, 0 },
                Package () { 0x001FFFFF, 0, LNKA, 0 }, Package () { 0x001FFFFF, 1, LNKB, 0 },
                Package () { 0x001FFFFF, 2, LNKC, 0 }, Package () { 0x001FFFFF, 3, LNKD, 0 },
            })
            Name (PRTA, Package (0x80)
            {
                Package () { 0x0000FFFF, 0, GSIE, 0 }, Package () { 0x0000FFFF, 1, GSIF, 0 },
                Package () { 0x0000FFFF, 2, GSIG, 0 }, Package () { 0x0000FFFF, 3, GSIH, 0 },
                Package () { 0x0001FFFF, 0, GSIF, 0 }, Package () { 0x0001FFFF, 1, GSIG, 0 },
                Package () { 0x0001FFFF, 2, GSIH, 0 }, Package () { 0x0001FFFF, 3, GSIE, 0 },
                Package () { 0x0002FFFF, 0, GSIG, 0 }, Package () { 0x0002FFFF, 1, GSIH, 0 },
                Package () { 0x0002FFFF, 2, GSIE, 0 }, Package () { 0x0002FFFF, 3, GSIF, 0 },
                Package () { 0x0003FFFF, 0, GSIH, 0 }, Package () { 0x0003FFFF, 1, GSIE, 0 },
                Package () { 0x0003FFFF, 2, GSIF, 0 }, Package () { 0x0003FFFF, 3, GSIG, 0 },
                Package () { 0x0004FFFF, 0, GSIE, 0 }, Package () { 0x0004FFFF, 1, GSIF, 0 },
                Package () { 0x0004FFFF, 2, GSIG, 0 }, Package () { 0x0004FFFF, 3, GSIH, 0 },
                Package () { 0x0005FFFF, 0, GSIF, 0 }, Package () { 0x0005FFFF, 1, GSIG, 0 },
                Package () { 0x0005FFFF, 2, GSIH, 0 }, Package () { 0x0005FFFF, 3, GSIE, 0 },
                Package () { 0x0006FFFF, 0, GSIG, 0 }, Package () { 0x0006FFFF, 1, GSIH, 0 },
                Package () { 0x0006FFFF, 2, GSIE, 0 }, Package () { 0x0006FFFF, 3, GSIF, 0 },
                Package () { 0x0007FFFF, 0, GSIH, 0 }, Package () { 0x0007FFFF, 1, GSIE, 0 },
                Package () { 0x0007FFFF, 2, GSIF, 0 }, Package () { 0x0007FFFF, 3, GSIG, 0 },
                Package () { 0x0008FFFF, 0, GSIE, 0 }, Package () { 0x0008FFFF, 1, GSIF, 0 },
                Package () { 0x0008FFFF, 2, GSIG, 0 }, Package () { 0x0008FFFF, 3, GSIH, 0 },
                Package () { 0x0009FFFF, 0, GSIF, 0 }, Package () { 0x0009FFFF, 1, GSIG, 0 },
                Package () { 0x0009FFFF, 2, GSIH, 0 }, Package () { 0x0009FFFF, 3, GSIE, 0 },
                Package () { 0x000AFFFF, 0, GSIG, 0 }, Package () { 0x000AFFFF, 1, GSIH, 0 },
                Package () { 0x000AFFFF, 2, GSIE, 0 }, Package () { 0x000AFFFF, 3, GSIF, 0 },
                Package () { 0x000BFFFF, 0, GSIH, 0 }, Package () { 0x000BFFFF, 1, GSIE, 0 },
                Package () { 0x000BFFFF, 2, GSIF, 0 }, Package () { 0x000BFFFF, 3, GSIG, 0 },
                Package () { 0x000CFFFF, 0, GSIE, 0 }, Package () { 0x000CFFFF, 1, GSIF, 0 },
                Package () { 0x000CFFFF, 2, GSIG, 0 }, Package () { 0x000CFFFF, 3, GSIH, 0 },
                Package () { 0x000DFFFF, 0, GSIF, 0 }, Package () { 0x000DFFFF, 1, GSIG, 0 },
                Package () { 0x000DFFFF, 2, GSIH, 0 }, Package () { 0x000DFFFF, 3, GSIE, 0 },
                Package () { 0x000EFFFF, 0, GSIG, 0 }, Package () { 0x000EFFFF, 1, GSIH, 0 },
                Package () { 0x000EFFFF, 2, GSIE, 0 }, Package () { 0x000EFFFF, 3, GSIF, 0 },
                Package () { 0x000FFFFF, 0, GSIH, 0 }, Package () { 0x000FFFFF, 1, GSIE, 0 },
                Package () { 0x000FFFFF, 2, GSIF, 0 }, Package () { 0x000FFFFF, 3, GSIG, 0 },
                Package () { 0x0010FFFF, 0, GSIE, 0 }, Package () { 0x0010FFFF, 1, GSIF, 0 },
                Package () { 0x0010FFFF, 2, GSIG, 0 }, Package () { 0x0010FFFF, 3, GSIH, 0 },
                Package () { 0x0011FFFF, 0, GSIF, 0 }, Package () { 0x0011FFFF, 1, GSIG, 0 },
                Package () { 0x0011FFFF, 2, GSIH, 0 }, Package () { 0x0011FFFF, 3, GSIE, 0 },
                Package () { 0x0012FFFF, 0, GSIG, 0 }, Package () { 0x0012FFFF, 1, GSIH, 0 },
                Package () { 0x0012FFFF, 2, GSIE, 0 }, Package () { 0x0012FFFF, 3, GSIF, 0 },
                Package () { 0x0013FFFF, 0, GSIH, 0 }, Package () { 0x0013FFFF, 1, GSIE, 0 },
                Package () { 0x0013FFFF, 2, GSIF, 0 }, Package () { 0x0013FFFF, 3, GSIG, 0 },
                Package () { 0x0014FFFF, 0, GSIE, 0 }, Package () { 0x0014FFFF, 1, GSIF, 0 },
                Package () { 0x0014FFFF, 2, GSIG, 0 }, Package () { 0x0014FFFF, 3, GSIH, 0 },
                Package () { 0x0015FFFF, 0, GSIF, 0 }, Package () { 0x0015FFFF, 1, GSIG, 0 },
                Package () { 0x0015FFFF, 2, GSIH, 0 }, Package () { 0x0015FFFF, 3, GSIE, 0 },
                Package () { 0x0016FFFF, 0, GSIG, 0 }, Package () { 0x0016FFFF, 1, GSIH, 0 },
                Package () { 0x0016FFFF, 2, GSIE, 0 }, Package () { 0x0016FFFF, 3, GSIF, 0 },
                Package () { 0x0017FFFF, 0, GSIH, 0 }, Package () { 0x0017FFFF, 1, GSIE, 0 },
                Package () { 0x0017FFFF, 2, GSIF, 0 }, Package () { 0x0017FFFF, 3, GSIG, 0 },
                Package () { 0x0018FFFF, 0, GSIE, 0 }, Package () { 0x0018FFFF, 1, GSIF, 0 },
                Package () { 0x0018FFFF, 2, GSIG, 0 }, Package () { 0x0018FFFF, 3, GSIH, 0 },
                Package () { 0x0019FFFF, 0, GSIA, 0 }, Package () { 0x0019FFFF, 1, GSIB, 0 },
                Package () { 0x0019FFFF, 2, GSIC, 0 }, Package () { 0x0019FFFF, 3, GSID, 0 },
                Package () { 0x001AFFFF, 0, GSIA, 0 }, Package () { 0x001AFFFF, 1, GSIB, 0 },
                Package () { 0x001AFFFF, 2, GSIC, 0 }, Package () { 0x001AFFFF, 3, GSID, 0 },
                Package () { 0x001BFFFF, 0, GSIA, 0 }, Package () { 0x001BFFFF, 1, GSIB, 0 },
                Package () { 0x001BFFFF, 2, GSIC, 0 }, Package () { 0x001BFFFF, 3, GSID, 0 },
                Package () { 0x001CFFFF, 0, GSIA, 0 }, Package () { 0x001CFFFF, 1, GSIB, 0 },
                Package () { 0x001CFFFF, 2, GSIC, 0 }, Package () { 0x001CFFFF, 3, GSID, 0 },
                Package () { 0x001DFFFF, 0, GSIA, 0 }, Package () { 0x001DFFFF, 1, GSIB, 0 },
                Package () { 0x001DFFFF, 2, GSIC, 0 }, Package () { 0x001DFFFF, 3, GSID, 0 },
                Package () { 0x001EFFFF, 0, GSIE, 0 }, Package () { 0x001EFFFF, 1, GSIF, 0 },
                Package () { 0x001EFFFF, 2, GSIG, 0 }, Package () { 0x001EFFFF, 3, GSIH, 0 },
                Package () { 0x001FFFFF, 0, GSIA, 0 }, Package () { 0x001FFFFF, 1, GSIB, 0 },
                Package () { 0x001FFFFF, 2, GSIC, 0 }, Package () { 0x001FFFFF, 3, GSID, 0 },
            })
            Method (_PRT, 0, NotSerialized)
            {
                If ((PICF == Zero))
                {
                    Return (PRTP)
                }
                Return (PRTA)
            }

            /* fw_cfg (QEMU docs/specs/fw_cfg.rst, "ACPI Interface"): selector, data and DMA. */
            Device (FWCF)
            {
                Name (_HID, "QEMU0002")
                Name (_STA, 0x0B)  /* present, enabled, not shown in UI */
                Name (_CRS, ResourceTemplate ()
                {
                    IO (Decode16, 0x0510, 0x0510, 0x01, 0x0C)
                })
            }

            /* ICH9 LPC bridge, 00:1f.0: the PIRQ routing registers and the ISA devices. */
            Device (SF8)
            {
                Name (_ADR, 0x001F0000)
                OperationRegion (PIRQ, PCI_Config, 0x60, 0x0C)
                Field (PIRQ, ByteAcc, NoLock, Preserve)
                {
                    PRQA, 8, PRQB, 8, PRQC, 8, PRQD, 8,
                    Offset (0x08),
                    PRQE, 8, PRQF, 8, PRQG, 8, PRQH, 8
                }

                Device (RTC)
                {
                    Name (_HID, EisaId ("PNP0B00"))
                    Name (_CRS, ResourceTemplate ()
                    {
                        IO (Decode16, 0x0070, 0x0070, 0x01, 0x08)
                        IRQNoFlags () {8}
                    })
                }

                Device (KBD)
                {
                    Name (_HID, EisaId ("PNP0303"))
                    Method (_STA, 0, NotSerialized)
                    {
                        Return (0x0F)
                    }
                    Name (_CRS, ResourceTemplate ()
                    {
                        IO (Decode16, 0x0060, 0x0060, 0x01, 0x01)
                        IO (Decode16, 0x0064, 0x0064, 0x01, 0x01)
                        IRQNoFlags () {1}
                    })
                }

                Device (MOU)
                {
                    Name (_HID, EisaId ("PNP0F13"))
                    Method (_STA, 0, NotSerialized)
                    {
                        Return (0x0F)
                    }
                    Name (_CRS, ResourceTemplate ()
                    {
                        IRQNoFlags () {12}
                    })
                }

                Device (COM1)
                {
                    Name (_HID, EisaId ("PNP0501"))
                    Name (_UID, One)
                    Method (_STA, 0, NotSerialized)
                    {
                        Return (0x0F)
                    }
                    Name (_CRS, ResourceTemplate ()
                    {
                        IO (Decode16, 0x03F8, 0x03F8, 0x00, 0x08)
                        IRQNoFlags () {4}
                    })
                }
            }
        }

        /*
         * HPET (IA-PC HPET spec 1.0a, 3.2.5). Present only if its registers answer: the
         * vendor ID (capabilities bits 63:16 low half) is neither 0 nor all-ones and the period
         * is sane, the same probe QEMU's DSDT uses, so the board decides by mapping it or not.
         */
        Device (HPET)
        {
            Name (_HID, EisaId ("PNP0103"))
            Name (_UID, Zero)
            OperationRegion (HPTM, SystemMemory, 0xFED00000, 0x0400)
            Field (HPTM, DWordAcc, Lock, Preserve)
            {
                VEND, 32,
                PRD, 32
            }
            Method (_STA, 0, NotSerialized)
            {
                Local0 = VEND
                Local1 = PRD
                Local0 >>= 0x10
                If (((Local0 == Zero) || (Local0 == 0xFFFF)))
                {
                    Return (Zero)
                }
                If (((Local1 == Zero) || (Local1 > 0x05F5E100)))
                {
                    Return (Zero)
                }
                Return (0x0F)
            }
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadOnly, 0xFED00000, 0x00000400)
            })
        }

        /*
         * PCI interrupt links (6.2.13, "Interrupt Link Device", PNP0C0F). LNKx: the LPC PIRQx
         * register holds the ISA IRQ (bit 7 set = disabled). GSIx: fixed at GSI 16 + x.
         */
        Method (IQST, 1, NotSerialized)
        {
            If ((0x80 & Arg0))
            {
                Return (0x09)  /* present, disabled */
            }
            Return (0x0B)      /* present, enabled, functioning */
        }

        Method (IQCR, 1, Serialized)
        {
            Name (PRR0, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, _Y00)
                {
                    0x00000000,
                }
            })
            CreateDWordField (PRR0, \_SB.IQCR._Y00._INT, PRRI)
            PRRI = (Arg0 & 0x0F)
            Return (PRR0)
        }

        Device (LNKA)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, Zero)
            Name (_PRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000005, 0x0000000A, 0x0000000B,
                }
            })
            Method (_STA, 0, NotSerialized) { Return (IQST (\_SB.PCI0.SF8.PRQA)) }
            Method (_DIS, 0, NotSerialized) { \_SB.PCI0.SF8.PRQA |= 0x80 }
            Method (_CRS, 0, NotSerialized) { Return (IQCR (\_SB.PCI0.SF8.PRQA)) }
            Method (_SRS, 1, NotSerialized)
            {
                CreateDWordField (Arg0, 0x05, PRRI)
                \_SB.PCI0.SF8.PRQA = PRRI
            }
        }

        Device (LNKB)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, One)
            Name (_PRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000005, 0x0000000A, 0x0000000B,
                }
            })
            Method (_STA, 0, NotSerialized) { Return (IQST (\_SB.PCI0.SF8.PRQB)) }
            Method (_DIS, 0, NotSerialized) { \_SB.PCI0.SF8.PRQB |= 0x80 }
            Method (_CRS, 0, NotSerialized) { Return (IQCR (\_SB.PCI0.SF8.PRQB)) }
            Method (_SRS, 1, NotSerialized)
            {
                CreateDWordField (Arg0, 0x05, PRRI)
                \_SB.PCI0.SF8.PRQB = PRRI
            }
        }

        Device (LNKC)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x02)
            Name (_PRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000005, 0x0000000A, 0x0000000B,
                }
            })
            Method (_STA, 0, NotSerialized) { Return (IQST (\_SB.PCI0.SF8.PRQC)) }
            Method (_DIS, 0, NotSerialized) { \_SB.PCI0.SF8.PRQC |= 0x80 }
            Method (_CRS, 0, NotSerialized) { Return (IQCR (\_SB.PCI0.SF8.PRQC)) }
            Method (_SRS, 1, NotSerialized)
            {
                CreateDWordField (Arg0, 0x05, PRRI)
                \_SB.PCI0.SF8.PRQC = PRRI
            }
        }

        Device (LNKD)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x03)
            Name (_PRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000005, 0x0000000A, 0x0000000B,
                }
            })
            Method (_STA, 0, NotSerialized) { Return (IQST (\_SB.PCI0.SF8.PRQD)) }
            Method (_DIS, 0, NotSerialized) { \_SB.PCI0.SF8.PRQD |= 0x80 }
            Method (_CRS, 0, NotSerialized) { Return (IQCR (\_SB.PCI0.SF8.PRQD)) }
            Method (_SRS, 1, NotSerialized)
            {
                CreateDWordField (Arg0, 0x05, PRRI)
                \_SB.PCI0.SF8.PRQD = PRRI
            }
        }

        Device (LNKE)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x04)
            Name (_PRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000005, 0x0000000A, 0x0000000B,
                }
            })
            Method (_STA, 0, NotSerialized) { Return (IQST (\_SB.PCI0.SF8.PRQE)) }
            Method (_DIS, 0, NotSerialized) { \_SB.PCI0.SF8.PRQE |= 0x80 }
            Method (_CRS, 0, NotSerialized) { Return (IQCR (\_SB.PCI0.SF8.PRQE)) }
            Method (_SRS, 1, NotSerialized)
            {
                CreateDWordField (Arg0, 0x05, PRRI)
                \_SB.PCI0.SF8.PRQE = PRRI
            }
        }

        Device (LNKF)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x05)
            Name (_PRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000005, 0x0000000A, 0x0000000B,
                }
            })
            Method (_STA, 0, NotSerialized) { Return (IQST (\_SB.PCI0.SF8.PRQF)) }
            Method (_DIS, 0, NotSerialized) { \_SB.PCI0.SF8.PRQF |= 0x80 }
            Method (_CRS, 0, NotSerialized) { Return (IQCR (\_SB.PCI0.SF8.PRQF)) }
            Method (_SRS, 1, NotSerialized)
            {
                CreateDWordField (Arg0, 0x05, PRRI)
                \_SB.PCI0.SF8.PRQF = PRRI
            }
        }

        Device (LNKG)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x06)
            Name (_PRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000005, 0x0000000A, 0x0000000B,
                }
            })
            Method (_STA, 0, NotSerialized) { Return (IQST (\_SB.PCI0.SF8.PRQG)) }
            Method (_DIS, 0, NotSerialized) { \_SB.PCI0.SF8.PRQG |= 0x80 }
            Method (_CRS, 0, NotSerialized) { Return (IQCR (\_SB.PCI0.SF8.PRQG)) }
            Method (_SRS, 1, NotSerialized)
            {
                CreateDWordField (Arg0, 0x05, PRRI)
                \_SB.PCI0.SF8.PRQG = PRRI
            }
        }

        Device (LNKH)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x07)
            Name (_PRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000005, 0x0000000A, 0x0000000B,
                }
            })
            Method (_STA, 0, NotSerialized) { Return (IQST (\_SB.PCI0.SF8.PRQH)) }
            Method (_DIS, 0, NotSerialized) { \_SB.PCI0.SF8.PRQH |= 0x80 }
            Method (_CRS, 0, NotSerialized) { Return (IQCR (\_SB.PCI0.SF8.PRQH)) }
            Method (_SRS, 1, NotSerialized)
            {
                CreateDWordField (Arg0, 0x05, PRRI)
                \_SB.PCI0.SF8.PRQH = PRRI
            }
        }

        /* APIC mode: PIRQA-H are IOAPIC inputs 16-23, nothing to program. */
        Device (GSIA)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x10)
            Name (_PRS, ResourceTemplate () { Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, ) { 0x00000010 } })
            Name (_CRS, ResourceTemplate () { Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, ) { 0x00000010 } })
            Method (_SRS, 1, NotSerialized) { }
        }
        Device (GSIB)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x11)
            Name (_PRS, ResourceTemplate () { Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, ) { 0x00000011 } })
            Name (_CRS, ResourceTemplate () { Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, ) { 0x00000011 } })
            Method (_SRS, 1, NotSerialized) { }
        }
        Device (GSIC)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x12)
            Name (_PRS, ResourceTemplate () { Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, ) { 0x00000012 } })
            Name (_CRS, ResourceTemplate () { Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, ) { 0x00000012 } })
            Method (_SRS, 1, NotSerialized) { }
        }
        Device (GSID)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x13)
            Name (_PRS, ResourceTemplate () { Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, ) { 0x00000013 } })
            Name (_CRS, ResourceTemplate () { Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, ) { 0x00000013 } })
            Method (_SRS, 1, NotSerialized) { }
        }
        Device (GSIE)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x14)
            Name (_PRS, ResourceTemplate () { Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, ) { 0x00000014 } })
            Name (_CRS, ResourceTemplate () { Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, ) { 0x00000014 } })
            Method (_SRS, 1, NotSerialized) { }
        }
        Device (GSIF)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x15)
            Name (_PRS, ResourceTemplate () { Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, ) { 0x00000015 } })
            Name (_CRS, ResourceTemplate () { Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, ) { 0x00000015 } })
            Method (_SRS, 1, NotSerialized) { }
        }
        Device (GSIG)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x16)
            Name (_PRS, ResourceTemplate () { Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, ) { 0x00000016 } })
            Name (_CRS, ResourceTemplate () { Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, ) { 0x00000016 } })
            Method (_SRS, 1, NotSerialized) { }
        }
        Device (GSIH)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x17)
            Name (_PRS, ResourceTemplate () { Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, ) { 0x00000017 } })
            Name (_CRS, ResourceTemplate () { Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, ) { 0x00000017 } })
            Method (_SRS, 1, NotSerialized) { }
        }
    }
}
