//! Half of the flash measurement: the same firmware with a call
//! to `adder::add`; the difference of their `.text` + `.rodata` is what
//! the adder costs.

#![no_std]
#![no_main]

use core::hint::black_box;
use core::panic::PanicInfo;

use cortex_m_rt::entry;
use cortex_m_semihosting::hprintln;

#[cfg(not(any(
    feature = "adder66",
    feature = "dense130",
    feature = "seed58",
    feature = "wide58",
    feature = "qwen3_228"
)))]
use adder::models::adder58 as model;
#[cfg(feature = "adder66")]
use adder::models::adder66 as model;
#[cfg(feature = "dense130")]
use adder::models::dense130 as model;
#[cfg(feature = "qwen3_228")]
use adder::models::qwen3_228 as model;
#[cfg(feature = "seed58")]
use adder::models::seed58 as model;
#[cfg(feature = "wide58")]
use adder::models::wide58 as model;

#[entry]
fn main() -> ! {
    let (a, b) = (black_box(1_234_567_890u64), black_box(987_654_321u64));
    let sum = model::add(a, b);
    hprintln!("{}", sum);
    adder_firmware::exit(true)
}

#[panic_handler]
fn panic(_: &PanicInfo) -> ! {
    adder_firmware::exit(false)
}
