//! Half of the flash measurement: the same firmware with a call
//! to `adder::add`; the difference of their `.text` + `.rodata` is what
//! the adder costs.

#![no_std]
#![no_main]

use core::hint::black_box;
use core::panic::PanicInfo;

use cortex_m_rt::entry;
use cortex_m_semihosting::hprintln;

// `use adder::models::<ADDER_MODEL> as model;`, written by build.rs.
include!(concat!(env!("OUT_DIR"), "/model.rs"));

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
