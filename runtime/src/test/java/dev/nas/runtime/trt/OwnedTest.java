package dev.nas.runtime.trt;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.onnx.StringStringEntryProto;
import org.junit.jupiter.api.Test;

/**
 * How TensorRT objects get their C++ delete, tried on a JavaCPP preset that needs no GPU: ONNX's
 * {@code New()} returns a fresh object the caller owns, wrapped without a deallocator, just as
 * TensorRT's factories return theirs.
 */
class OwnedTest {
  @Test
  void theJavaCppMembersItUsesExist() throws Exception {
    assertEquals(void.class, Owned.initMethod().getReturnType());
    assertEquals(4, Owned.initMethod().getParameterCount());
    assertDoesNotThrow(Owned::deallocatorField);
    assertEquals(long.class, Owned.deallocatorAddressMethod().getReturnType());
  }

  @Test
  void anObjectReturnedByAFactoryGetsItsClassDeleterAndIsFreed() throws Exception {
    try (StringStringEntryProto prototype = new StringStringEntryProto()) {
      StringStringEntryProto made = prototype.New();
      assertNull(Owned.deallocatorField().get(made), "JavaCPP wraps returned pointers without a deallocator");
      long address = made.address();
      assertNotEquals(0, address);

      StringStringEntryProto same = Owned.adopt(made, StringStringEntryProto::new);
      assertTrue(same == made);
      Object deallocator = Owned.deallocatorField().get(made);
      assertEquals("org.bytedeco.javacpp.Pointer$NativeDeallocator", deallocator.getClass().getName());
      long deleter = (long) Owned.deallocatorAddressMethod().invoke(deallocator);
      // The deleter is the one JavaCPP attaches to objects of the class it allocates itself.
      assertEquals(deleter, (long) Owned.deallocatorAddressMethod().invoke(Owned.deallocatorField().get(prototype)));
      assertFalse(made.has_key(), "the object is alive and usable before it is freed");

      Owned.free(made);
      assertTrue(made.isNull(), "freed: later calls fail instead of touching freed memory");
      assertDoesNotThrow(() -> Owned.free(made), "freeing twice does nothing");
    }
  }

  @Test
  void nullPointersStayNull() {
    assertNull(Owned.adopt((Pointer) null, Pointer::new));
    assertNull(Owned.adopt(new Pointer(), Pointer::new), "a pointer to nothing is not adopted");
    assertDoesNotThrow(() -> Owned.free(null));
    assertDoesNotThrow(() -> Owned.free(new Pointer()));
  }
}
