import io.github.keras4j.models.Model;
import io.github.keras4j.models.Models;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/** Loads each Keras-written .keras, compares predictions, saves it back as a Keras4J .keras and .weights.h5. */
public class Check {
  static long[] dims(String json, String key) {
    String s = json.substring(json.indexOf("\"" + key + "\": [") + key.length() + 5);
    s = s.substring(0, s.indexOf(']'));
    String[] p = s.split(",");
    long[] d = new long[p.length];
    for (int i = 0; i < p.length; i++) d[i] = Long.parseLong(p[i].trim());
    return d;
  }
  static FloatNdArray read(Path f, long[] shape) throws Exception {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
    float[] v = new float[b.remaining() / 4];
    b.asFloatBuffer().get(v);
    return NdArrays.wrap(Shape.of(shape), DataBuffers.of(v, true, false));
  }
  public static void main(String[] a) throws Exception {
    Path dir = Path.of(a[0]), out = Path.of(a[1]);
    Files.createDirectories(out);
    for (String name : a[2].split(",")) {
      String json = Files.readString(dir.resolve(name + ".json"));
      FloatNdArray x = read(dir.resolve(name + ".x.bin"), dims(json, "x"));
      FloatNdArray y = read(dir.resolve(name + ".y.bin"), dims(json, "y"));
      try (Model m = Models.load(dir.resolve(name + ".keras"))) {
        FloatNdArray p = m.predict(x);
        double[] max = {0};
        y.scalars().forEachIndexed((idx, s) -> max[0] = Math.max(max[0], Math.abs(s.getFloat() - p.getFloat(idx))));
        System.out.printf("%s: .keras from Keras loads; max |pred diff| %.3g; iterations %s%n", name, max[0],
            m.getOptimizer() == null ? "none" : String.valueOf(m.getOptimizer().iterations()));
        m.save(out.resolve(name + ".keras"));
        m.saveWeights(out.resolve(name + ".weights.h5"));
      }
      try (Model m = Models.load(dir.resolve(name + ".keras"))) {
        m.loadWeights(dir.resolve(name + ".weights.h5"));
        FloatNdArray p = m.predict(x);
        double[] max = {0};
        y.scalars().forEachIndexed((idx, s) -> max[0] = Math.max(max[0], Math.abs(s.getFloat() - p.getFloat(idx))));
        System.out.printf("%s: .weights.h5 from Keras loads; max |pred diff| %.3g%n", name, max[0]);
      }
    }
  }
}
