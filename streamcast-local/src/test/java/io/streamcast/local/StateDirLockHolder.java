package io.streamcast.local;

/**
 * A separate process for {@link StateDirLockTest}: {@code DIR hold} opens the state directory,
 * prints "locked" and holds it until its standard input ends; {@code DIR try} prints "locked" or
 * the failure's message and exits.
 */
final class StateDirLockHolder {
    private StateDirLockHolder() {}

    public static void main(String[] args) throws Exception {
        try (LocalState state = LocalState.open(args[0])) {
            System.out.println("locked");
            System.out.flush();
            if (args[1].equals("hold")) {
                System.in.readAllBytes();
            }
        } catch (StateDirInUseException e) {
            System.out.println(e.getMessage());
        }
    }
}
