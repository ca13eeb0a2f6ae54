// Imports for a notebook-style JShell session with the MLOps SDK.
import dev.mlops.api.*;
import dev.mlops.api.spi.*;
import dev.mlops.tracking.*;
import java.nio.file.*;
import java.time.*;
import java.util.*;

System.out.println("MLOps SDK for Java. Try: Frame cancer = Frame.readCsv(Path.of(\"examples/src/main/resources/data/breast_cancer.csv\")); cancer.describe()");
