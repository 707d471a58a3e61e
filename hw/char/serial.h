// 16550A UART (National Semiconductor PC16550D datasheet): registers, 16-byte FIFOs,
// interrupt identification, loopback. The IRQ line is a callback the board wires.
#pragma once
#include <deque>
#include <functional>
#include "softmmu/chardev.h"
#include "softmmu/device.h"

namespace vireo {

class Serial16550 : public Device {
public:
    Serial16550(u16 iobase, unsigned irq) : iobase_(iobase), irq_(irq) {}
    const char* type_name() const override { return "isa-serial"; }
    void realize(Machine& m) override;
    void reset() override;
    void describe_state(StateVisitor& v) override;
    void set_chardev(Chardev* c);
    std::function<void(bool level)> irq_line;
    u8 read(unsigned reg);
    void write(unsigned reg, u8 v);
    void receive(const u8* data, size_t len);
    u16 iobase() const { return iobase_; }
    unsigned irq() const { return irq_; }

private:
    void update_irq();
    u16 iobase_;
    unsigned irq_;
    Chardev* chr_ = nullptr;
    u8 ier_ = 0, lcr_ = 0, mcr_ = 0, lsr_ = 0x60, msr_ = 0, scr_ = 0, fcr_ = 0;
    u16 divisor_ = 12;
    bool thr_ipending_ = false;
    std::deque<u8> rx_;
};

}  // namespace vireo
