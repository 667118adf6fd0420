package dev.nas.runtime.trt;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/** The JavaCPP internals that give TensorRT objects their C++ delete, checked without a GPU. */
class OwnedTest {
  @Test
  void theJavaCppMembersItUsesExist() throws Exception {
    assertEquals(void.class, Owned.initMethod().getReturnType());
    assertEquals(4, Owned.initMethod().getParameterCount());
    assertDoesNotThrow(Owned::deallocatorField);
    assertEquals(long.class, Owned.deallocatorAddressMethod().getReturnType());
  }

  @Test
  void nullPointersStayNull() {
    assertNull(Owned.adopt((Pointer) null, Pointer::new));
    assertNull(Owned.adopt(new Pointer(), Pointer::new), "a pointer to nothing is not adopted");
    assertDoesNotThrow(() -> Owned.free(null));
    assertDoesNotThrow(() -> Owned.free(new Pointer()));
  }
}
