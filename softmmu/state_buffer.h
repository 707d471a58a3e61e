// Device state into and out of a flat byte buffer through Device::describe_state(): what
// snapshots and record/replay will build on; the device tests use it to save and restore a
// device mid-test.
#pragma once
#include <cstring>
#include <stdexcept>
#include <vector>
#include "softmmu/device.h"

namespace vireo {

class StateWriter : public StateVisitor {
public:
    void field(const char*, void* data, size_t size) override {
        const u8* p = static_cast<const u8*>(data);
        buf.insert(buf.end(), p, p + size);
    }
    std::vector<u8> buf;
};

class StateReader : public StateVisitor {
public:
    explicit StateReader(const std::vector<u8>& b) : buf_(b) {}
    void field(const char* name, void* data, size_t size) override {
        if (pos_ + size > buf_.size()) throw std::out_of_range(std::string("device state too short at ") + name);
        std::memcpy(data, buf_.data() + pos_, size);
        pos_ += size;
    }
    bool consumed() const { return pos_ == buf_.size(); }

private:
    const std::vector<u8>& buf_;
    size_t pos_ = 0;
};

}  // namespace vireo
