// The migrations are embedded by sqlx::migrate!: build again when one changes.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
