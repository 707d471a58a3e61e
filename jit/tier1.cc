#include "jit/tier1.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <thread>
#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_set>

#include <llvm/Bitcode/BitcodeReader.h>
#include <llvm/ExecutionEngine/Orc/Core.h>
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Transforms/Utils/Cloning.h>

#include "jit/self_symbols.h"

// The semantics bitcode, embedded by jit/CMakeLists.txt.
extern "C" const char vireo_semantics_bc[];
extern "C" const char vireo_semantics_bc_end[];

namespace vireo::jit {

namespace {
// Functions up to this size are cloned into a block's module (and so may be inlined); bigger
// ones (fault delivery, page walks, ...) are called in the binary.
constexpr unsigned kCloneInsns = 300;

// Calls f for every global that v is or that a constant inside v (an expression, an aggregate
// initializer, ...) refers to; instructions and arguments are not entered.
template <typename F>
void for_each_global(const llvm::Value* v, F&& f) {
    std::vector<const llvm::Value*> todo{v};
    while (!todo.empty()) {
        const llvm::Value* x = todo.back();
        todo.pop_back();
        if (auto* g = llvm::dyn_cast<llvm::GlobalValue>(x)) f(g);
        else if (auto* k = llvm::dyn_cast<llvm::Constant>(x))
            for (const llvm::Use& u : k->operands()) todo.push_back(u.get());
    }
}
}  // namespace

struct Tier1Compiler::Impl {
    SelfSymbols syms;
    llvm::orc::ThreadSafeContext tsc{std::make_unique<llvm::LLVMContext>()};
    std::unique_ptr<llvm::Module> sem;
    std::unique_ptr<llvm::orc::LLJIT> jit;
    std::unordered_set<std::string> defined;  // absolute symbols given to the JITDylib
    unsigned next_id = 0;
    u64 off_tier1_op = 0, off_block_break = 0;
    bool ok = false;

    Impl();
    Tier1Fn compile(const std::vector<x86::Op>& ops);
    bool collect(llvm::Function* root, std::unordered_set<const llvm::GlobalValue*>& clone);
    bool resolve_natively(llvm::Module& m);
    void optimize(llvm::Module& m);
};

Tier1Compiler::Impl::Impl() {
    if (syms.empty()) return;
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    auto j = llvm::orc::LLJITBuilder().create();
    if (!j) {
        llvm::consumeError(j.takeError());
        return;
    }
    jit = std::move(*j);
    auto gen = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
        jit->getDataLayout().getGlobalPrefix());
    if (!gen) {
        llvm::consumeError(gen.takeError());
        return;
    }
    jit->getMainJITDylib().addGenerator(std::move(*gen));
    const size_t size = static_cast<size_t>(vireo_semantics_bc_end - vireo_semantics_bc);
    auto buf = llvm::MemoryBufferRef(llvm::StringRef(vireo_semantics_bc, size), "semantics.bc");
    auto m = llvm::parseBitcodeFile(buf, *tsc.getContext());
    if (!m) {
        llvm::consumeError(m.takeError());
        return;
    }
    sem = std::move(*m);
    x86::CpuState probe;
    const char* base = reinterpret_cast<const char*>(&probe);
    off_tier1_op = static_cast<u64>(reinterpret_cast<const char*>(&probe.tier1_op) - base);
    off_block_break = static_cast<u64>(reinterpret_cast<const char*>(&probe.block_break) - base);
    ok = true;
}

// The definitions a block's module needs besides its own function: the handler and, from it,
// what the bitcode has a body for and the binary cannot supply (local functions LLVM renamed,
// inline functions the compiler did not emit) or that is small enough to be worth inlining.
// Mutable data is never copied: it must be the binary's (a declaration resolved by name).
bool Tier1Compiler::Impl::collect(llvm::Function* root, std::unordered_set<const llvm::GlobalValue*>& clone) {
    std::vector<const llvm::Function*> work;
    bool good = true;
    auto visit = [&](const llvm::GlobalValue* gv, auto&& self_visit) -> void {
        if (clone.count(gv) || gv->isDeclaration()) return;
        const std::string name = gv->getName().str();
        const bool native = syms.address_of(name) != 0;
        if (auto* f = llvm::dyn_cast<llvm::Function>(gv)) {
            const bool small = f->getInstructionCount() <= kCloneInsns;
            if (f == root || !native || small || f->hasLinkOnceLinkage()) {
                clone.insert(f);
                work.push_back(f);
            }
        } else if (auto* g = llvm::dyn_cast<llvm::GlobalVariable>(gv)) {
            if (g->isConstant()) {
                clone.insert(g);
                if (g->hasInitializer())
                    for_each_global(g->getInitializer(), [&](const llvm::GlobalValue* v) { self_visit(v, self_visit); });
            } else if (!native) {
                good = false;  // mutable data the binary does not name: cannot share it
            }
        } else {
            good = false;  // aliases, ifuncs
        }
    };
    visit(root, visit);
    while (!work.empty() && good) {
        const llvm::Function* f = work.back();
        work.pop_back();
        if (f->hasPersonalityFn())
            if (auto* p = llvm::dyn_cast<llvm::GlobalValue>(f->getPersonalityFn()->stripPointerCasts()))
                visit(p, visit);
        for (const llvm::BasicBlock& bb : *f)
            for (const llvm::Instruction& in : bb)
                for (const llvm::Use& u : in.operands())
                    for_each_global(u.get(), [&](const llvm::GlobalValue* g) { visit(g, visit); });
    }
    return good;
}

// Declarations the binary defines (local functions included, by its symbol table) become
// absolute symbols of the JITDylib; the rest (libc, libstdc++) the process generator finds.
bool Tier1Compiler::Impl::resolve_natively(llvm::Module& m) {
    llvm::orc::SymbolMap syms_to_add;
    auto& es = jit->getExecutionSession();
    for (llvm::GlobalValue& gv : m.global_values()) {
        if (!gv.isDeclaration() || gv.use_empty() || gv.getName().starts_with("llvm.")) continue;
        const std::string name = gv.getName().str();
        if (defined.count(name)) continue;
        const u64 addr = syms.address_of(name);
        if (!addr) continue;
        syms_to_add[es.intern(name)] = {llvm::orc::ExecutorAddr(addr), llvm::JITSymbolFlags::Exported |
                                                                       (llvm::isa<llvm::Function>(gv)
                                                                            ? llvm::JITSymbolFlags::Callable
                                                                            : llvm::JITSymbolFlags::None)};
        defined.insert(name);
    }
    if (syms_to_add.empty()) return true;
    if (auto err = jit->getMainJITDylib().define(llvm::orc::absoluteSymbols(std::move(syms_to_add)))) {
        llvm::consumeError(std::move(err));
        return false;
    }
    return true;
}

void Tier1Compiler::Impl::optimize(llvm::Module& m) {
    llvm::LoopAnalysisManager lam;
    llvm::FunctionAnalysisManager fam;
    llvm::CGSCCAnalysisManager cgam;
    llvm::ModuleAnalysisManager mam;
    llvm::PassBuilder pb;
    pb.registerModuleAnalyses(mam);
    pb.registerCGSCCAnalyses(cgam);
    pb.registerFunctionAnalyses(fam);
    pb.registerLoopAnalyses(lam);
    pb.crossRegisterProxies(lam, fam, cgam, mam);
    pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2).run(m, mam);
}

Tier1Fn Tier1Compiler::Impl::compile(const std::vector<x86::Op>& ops) {
    if (!ok || ops.empty()) return nullptr;
    // The handlers, by the names the binary gives their addresses.
    std::vector<llvm::Function*> handlers;
    std::unordered_set<const llvm::GlobalValue*> clone;
    for (const x86::Op& op : ops) {
        const std::string* name = syms.name_at(reinterpret_cast<const void*>(op.fn));
        llvm::Function* f = name ? sem->getFunction(*name) : nullptr;
        if (!f || f->isDeclaration() || !collect(f, clone)) return nullptr;
        handlers.push_back(f);
    }
    llvm::ValueToValueMapTy vmap;
    std::unique_ptr<llvm::Module> m =
        llvm::CloneModule(*sem, vmap, [&](const llvm::GlobalValue* gv) { return clone.count(gv) != 0; });
    for (llvm::GlobalValue& gv : m->global_values()) {
        if (gv.isDeclaration()) continue;
        gv.setLinkage(llvm::GlobalValue::InternalLinkage);
        gv.setVisibility(llvm::GlobalValue::DefaultVisibility);
        if (auto* go = llvm::dyn_cast<llvm::GlobalObject>(&gv)) go->setComdat(nullptr);
    }
    for (llvm::Function* h : handlers) {
        auto* f = llvm::cast<llvm::Function>(vmap[h]);
        f->removeFnAttr(llvm::Attribute::NoInline);
        f->removeFnAttr(llvm::Attribute::OptimizeNone);
        f->addFnAttr(llvm::Attribute::AlwaysInline);
    }

    // u32 block(CpuState* c): op i with its Op as a constant, then the block_break check.
    llvm::LLVMContext& ctx = m->getContext();
    llvm::IRBuilder<> b(ctx);
    const std::string fname = "vireo_t1_" + std::to_string(next_id++);
    auto* ptr = llvm::PointerType::get(ctx, 0);
    auto* fty = llvm::FunctionType::get(b.getInt32Ty(), {ptr}, false);
    auto* fn = llvm::Function::Create(fty, llvm::GlobalValue::ExternalLinkage, fname, *m);
    fn->setUWTableKind(llvm::UWTableKind::Async);
    llvm::Value* c = fn->getArg(0);
    auto* entry = llvm::BasicBlock::Create(ctx, "entry", fn);
    b.SetInsertPoint(entry);
    llvm::Value* op_idx = b.CreateConstGEP1_64(b.getInt8Ty(), c, off_tier1_op);
    llvm::Value* brk = b.CreateConstGEP1_64(b.getInt8Ty(), c, off_block_break);
    for (size_t i = 0; i < ops.size(); i++) {
        const auto* bytes = reinterpret_cast<const uint8_t*>(&ops[i]);
        auto* init = llvm::ConstantDataArray::get(ctx, llvm::ArrayRef<uint8_t>(bytes, sizeof(x86::Op)));
        auto* g = new llvm::GlobalVariable(*m, init->getType(), true, llvm::GlobalValue::PrivateLinkage, init,
                                           "op" + std::to_string(i));
        g->setAlignment(llvm::Align(alignof(x86::Op)));
        b.CreateStore(b.getInt32(static_cast<u32>(i)), op_idx);
        auto* callee = llvm::cast<llvm::Function>(vmap[handlers[i]]);
        b.CreateCall(callee->getFunctionType(), callee, {c, g});
        if (i + 1 == ops.size()) {
            b.CreateRet(b.getInt32(static_cast<u32>(i)));
            break;
        }
        auto* stop = llvm::BasicBlock::Create(ctx, "stop", fn);
        auto* next = llvm::BasicBlock::Create(ctx, "next", fn);
        b.CreateCondBr(b.CreateICmpNE(b.CreateLoad(b.getInt8Ty(), brk), b.getInt8(0)), stop, next);
        b.SetInsertPoint(stop);
        b.CreateRet(b.getInt32(static_cast<u32>(i)));
        b.SetInsertPoint(next);
    }
    optimize(*m);
    if (llvm::verifyModule(*m, &llvm::errs())) return nullptr;
    if (!resolve_natively(*m)) return nullptr;
    if (auto err = jit->addIRModule(llvm::orc::ThreadSafeModule(std::move(m), tsc))) {
        llvm::consumeError(std::move(err));
        return nullptr;
    }
    auto sym = jit->lookup(fname);
    if (!sym) {
        llvm::logAllUnhandledErrors(sym.takeError(), llvm::errs(), "vireo tier 1: ");
        return nullptr;
    }
    return sym->toPtr<Tier1Fn>();
}

// The compile thread: a queue in, a list out, one mutex; LLVM is used by this thread alone.
struct Tier1Compiler::Worker {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::pair<BlockId, std::vector<x86::Op>>> queue;
    std::vector<Done> done;
    std::atomic<bool> has_done{false};
    bool stop = false;
    std::thread thread;
};

Tier1Compiler::Tier1Compiler() : available_(SelfSymbols::binary_has_symtab()) {}
Tier1Compiler::~Tier1Compiler() {
    if (!worker_) return;
    {
        std::lock_guard lock(worker_->mu);
        worker_->stop = true;
    }
    worker_->cv.notify_one();
    worker_->thread.join();
}

void Tier1Compiler::submit(const BlockId& id, std::vector<x86::Op> ops) {
    if (!worker_) {
        worker_ = std::make_unique<Worker>();
        worker_->thread = std::thread([this] {
            Worker& w = *worker_;
            std::unique_lock lock(w.mu);
            for (;;) {
                w.cv.wait(lock, [&] { return w.stop || !w.queue.empty(); });
                if (w.stop) return;
                auto [id, ops] = std::move(w.queue.front());
                w.queue.pop_front();
                lock.unlock();
                Tier1Fn fn = compile(ops);
                lock.lock();
                w.done.push_back({id, fn});
                w.has_done.store(true, std::memory_order_release);
            }
        });
    }
    {
        std::lock_guard lock(worker_->mu);
        worker_->queue.emplace_back(id, std::move(ops));
    }
    worker_->cv.notify_one();
}

bool Tier1Compiler::pending() const { return worker_ && worker_->has_done.load(std::memory_order_acquire); }

void Tier1Compiler::poll(std::vector<Done>& out) {
    if (!pending()) return;
    std::lock_guard lock(worker_->mu);
    out.insert(out.end(), worker_->done.begin(), worker_->done.end());
    worker_->done.clear();
    worker_->has_done.store(false, std::memory_order_relaxed);
}

void Tier1Compiler::prepare() {
    if (!impl_) impl_ = std::make_unique<Impl>();
}

Tier1Fn Tier1Compiler::compile(const std::vector<x86::Op>& ops) {
    const auto t0 = std::chrono::steady_clock::now();
    if (!impl_) impl_ = std::make_unique<Impl>();
    Tier1Fn f = available_ ? impl_->compile(ops) : nullptr;
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0);
    nanos_.fetch_add(static_cast<u64>(ns.count()), std::memory_order_relaxed);
    (f ? compiled_ : failed_).fetch_add(1, std::memory_order_relaxed);
    return f;
}

}  // namespace vireo::jit
