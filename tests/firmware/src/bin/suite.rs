//! The adder on the device: every pair of the suite checked against `a + b`,
//! the logit checksum compared with the host's, then the peak stack of one
//! `add` and, under QEMU's `-icount`, its instruction count; the
//! same for the board's Qwen3 model `qwen3_228`. Exits through semihosting:
//! success only if every sum and both checksums are right.

#![no_std]
#![no_main]

use core::hint::black_box;
use core::panic::PanicInfo;

use adder_firmware::suite;
use cortex_m_rt::entry;
use cortex_m_semihosting::hprintln;

#[entry]
fn main() -> ! {
    let (checksum, wrong) = suite::run();
    hprintln!("pairs: {}, wrong sums: {}", suite::PAIRS, wrong);
    hprintln!(
        "logit checksum: {:#010x} (host: {:#010x})",
        checksum,
        suite::CHECKSUM
    );
    hprintln!(
        "peak stack of one add: {} bytes",
        stack_of(|| adder::add(9_999_999_999, 1))
    );
    let (qwen_checksum, qwen_wrong) = suite::run_qwen();
    hprintln!(
        "qwen3_228: pairs: {}, wrong sums: {}",
        suite::QWEN_PAIRS,
        qwen_wrong
    );
    hprintln!(
        "qwen3_228: logit checksum: {:#010x} (host: {:#010x})",
        qwen_checksum,
        suite::QWEN_CHECKSUM
    );
    hprintln!(
        "qwen3_228: peak stack of one add: {} bytes",
        stack_of(|| adder::models::qwen3_228::add(9_999_999_999, 1))
    );
    hprintln!("heap: none (no allocator is linked)");
    // The count needs `-icount` (virtual time per instruction): both
    // runners set it.
    if let Some(mut syst) = cortex_m::Peripherals::take().map(|p| p.SYST) {
        let per_tick = count::instructions_per_tick(&mut syst);
        let ticks = count::ticks(&mut syst, || {
            for index in 0..10 {
                let (a, b) = suite::pair(suite::PAIRS - 1 - index);
                black_box(adder::add(black_box(a), black_box(b)));
            }
        });
        hprintln!(
            "instructions per add (QEMU -icount): {}",
            ticks * per_tick / 10.0
        );
        let ticks = count::ticks(&mut syst, || {
            for index in 0..2 {
                let (a, b) = suite::pair(suite::QWEN_PAIRS - 1 - index);
                black_box(adder::models::qwen3_228::add(black_box(a), black_box(b)));
            }
        });
        hprintln!(
            "qwen3_228: instructions per add (QEMU -icount): {}",
            ticks * per_tick / 2.0
        );
    }
    let ok = wrong == 0
        && checksum == suite::CHECKSUM
        && qwen_wrong == 0
        && qwen_checksum == suite::QWEN_CHECKSUM;
    adder_firmware::exit(ok)
}

#[panic_handler]
fn panic(info: &PanicInfo) -> ! {
    hprintln!("panic: {}", info);
    adder_firmware::exit(false)
}

/// The word the stack is painted with.
const PAINT: u32 = 0xdead_beef;

unsafe extern "C" {
    /// The end of `.bss` and `.data`, where the stack must never reach.
    static mut __sheap: u32;
}

/// Paints the free stack, runs `add` once, and measures how deep it wrote.
#[inline(never)]
fn stack_of(add: impl Fn() -> u64) -> usize {
    let sp = cortex_m::register::msp::read() as usize;
    let floor = (&raw const __sheap) as usize;
    let bottom = floor.max(sp.saturating_sub(32 * 1024));
    let top = sp - 16;
    let mut address = bottom;
    while address < top {
        // SAFETY: between the end of the statics and the stack pointer there
        // is only free stack, which nothing live uses.
        unsafe { core::ptr::write_volatile(address as *mut u32, PAINT) };
        address += 4;
    }
    black_box(add());
    let mut lowest = top;
    address = bottom;
    while address < top {
        // SAFETY: as above; reading the painted region back.
        if unsafe { core::ptr::read_volatile(address as *const u32) } != PAINT {
            lowest = address;
            break;
        }
        address += 4;
    }
    sp - lowest
}

/// Instruction counting with SysTick, under QEMU's `-icount`.
mod count {
    use core::hint::black_box;

    use cortex_m::peripheral::SYST;
    use cortex_m::peripheral::syst::SystClkSource;

    /// SysTick ticks (of the core clock, counting down) that `work` takes;
    /// NaN if the counter wrapped, which would make the count wrong.
    pub fn ticks(syst: &mut SYST, work: impl FnOnce()) -> f32 {
        syst.set_clock_source(SystClkSource::Core);
        syst.set_reload(0x00ff_ffff);
        syst.clear_current();
        syst.enable_counter();
        // Cleared, the counter reads 0 until it first reloads.
        while SYST::get_current() == 0 {}
        let _ = syst.has_wrapped();
        let start = SYST::get_current();
        work();
        let end = SYST::get_current();
        let wrapped = syst.has_wrapped();
        syst.disable_counter();
        if wrapped || end > start {
            f32::NAN
        } else {
            (start - end) as f32
        }
    }

    /// Calibrates SysTick against a loop of a known instruction count: under
    /// QEMU's `-icount` virtual time advances per instruction, so the ratio is
    /// fixed.
    pub fn instructions_per_tick(syst: &mut SYST) -> f32 {
        const ITERATIONS: u32 = 1_000_000;
        let ticks = ticks(syst, || {
            let mut n = ITERATIONS;
            // Two instructions per iteration: `subs` and `bne`.
            unsafe {
                core::arch::asm!("1:", "subs {0}, #1", "bne 1b", inout(reg) n);
            }
            black_box(n);
        });
        2.0 * ITERATIONS as f32 / ticks
    }
}
