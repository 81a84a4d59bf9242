namespace Keel; internal static class Placeholder {}
