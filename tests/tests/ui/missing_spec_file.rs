// A spec file that does not exist: the error points at the path.

adder::model! {
    mod model = "specs/no_such.spec";
}

fn main() {}
